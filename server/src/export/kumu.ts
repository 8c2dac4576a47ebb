/**
 * The relationship map as a Kumu "blueprint" (Kumu's JSON import, docs.kumu.io/guides/import/
 * blueprints): `elements` with `label`, `type`, `description`, `tags`; `connections` with `from`,
 * `to`, `type`, `direction`. Organizations can share a spelling once folded, so every element has
 * an `id` and connections name ids, as Kumu asks when labels may repeat; ids are unique across
 * elements and connections (R146). Same nodes and edges as `GET /api/boards/:id/network`.
 */
import { noteOrganizations, type EdgeKind, type Network, type Note } from '@maillage/shared';
import type { ExportLang } from './format.ts';

export interface KumuElement {
  id: string;
  label: string;
  type: string;
  description: string;
  tags: string[];
  /** Custom field: the organization's activity count. */
  Activities: number;
}

export interface KumuConnection {
  id: string;
  from: string;
  to: string;
  type: string;
  direction: 'undirected';
  tags: EdgeKind[];
  description: string;
  /** Custom field: groups + connectors + strong suggestions the pair shares. */
  Weight: number;
}

export interface KumuBlueprint {
  elements: KumuElement[];
  connections: KumuConnection[];
}

export const KUMU_WORDS = {
  fr: { organization: 'Organisation', group: 'Regroupement', connector: 'Lien', similar: 'Activités semblables', activities: 'Activités' },
  en: { organization: 'Organization', group: 'Group', connector: 'Connector', similar: 'Similar activities', activities: 'Activities' },
} as const;

/**
 * `network` as a blueprint. A connection's `type` is its strongest reason (group, then connector,
 * then similar); `tags` lists every reason; its description names the activities behind it.
 */
export function networkKumu(network: Network, notes: readonly Note[], lang: ExportLang): KumuBlueprint {
  const words = KUMU_WORDS[lang];
  const text = new Map(notes.map((n) => [n.id, n.text]));
  const elementId = (id: string) => `org:${id}`;
  const activities = (ids: readonly string[]) => ids.map((id) => `- ${text.get(id) ?? ''}`).join('\n');
  const byOrg = new Map<string, string[]>();
  for (const n of notes) for (const o of noteOrganizations(n)) byOrg.set(o.key, [...(byOrg.get(o.key) ?? []), n.id]);
  return {
    elements: network.nodes.map((n) => ({
      id: elementId(n.id),
      label: n.label,
      type: words.organization,
      description: `${words.activities} (${n.notes}):\n${activities(byOrg.get(n.id) ?? [])}`,
      tags: [],
      Activities: n.notes,
    })),
    connections: network.edges.map((e) => ({
      id: `link:${e.source}|${e.target}`,
      from: elementId(e.source),
      to: elementId(e.target),
      type: words[e.kinds[0] ?? 'similar'],
      direction: 'undirected',
      tags: e.kinds,
      description: activities(e.notes),
      Weight: e.weight,
    })),
  };
}
