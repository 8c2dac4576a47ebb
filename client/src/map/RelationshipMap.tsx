/**
 * The relationship map (docs/spec.md R140–R150): the wall's organizations as a network, drawn with
 * react-konva in the same canvas stack as the wall. Circles are organizations (area ∝ activities,
 * colour = the domain where each has most); lines are shared accepted groups (dark blue),
 * connectors between their notes (orange) and, lighter and dashed, strong similarity
 * suggestions. Filters narrow it to a domain or a group. Clicking (or tabbing to) an organization
 * or a link lists the activities behind it and the people to contact — with the emails the server
 * sent this viewer, never a note's own field (R85).
 *
 * Shown in the review page and in projection; nothing here writes to the wall.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Circle, Layer, Line, Rect, Stage, Text } from 'react-konva';
import { layoutNetwork, mapScene, MAP_COLORS, type Cluster, type Domain, type MapScene, type NetworkFilter, type Note, type Relation } from '@maillage/shared';
import type { Language } from '../i18n/index.ts';
import { useNetwork } from './useNetwork.ts';
import { MapDetails, type MapSelection } from './MapDetails.tsx';
import './map.css';

export interface RelationshipMapProps {
  boardId: string;
  accessKey: string;
  notes: Note[];
  domains: Domain[];
  clusters: Cluster[];
  relations: Relation[];
  /** Emails the server sent this viewer, by author id. */
  emails: Readonly<Record<string, string>>;
  lang: Language;
  /** Large type and no side list by default (the projector). */
  projection?: boolean;
}

/** What tests read: the drawn organizations and links (positions only, no personal data). */
interface MapProbe {
  nodes(): { id: string; label: string; notes: number; x: number; y: number; r: number }[];
  edges(): { source: string; target: string; kinds: string[]; weight: number; notes: string[]; x: number; y: number }[];
}

export function RelationshipMap(p: RelationshipMapProps) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const [filter, setFilter] = useState<NetworkFilter>({});
  const [selection, setSelection] = useState<MapSelection | null>(null);
  const { network } = useNetwork({ boardId: p.boardId, accessKey: p.accessKey, notes: p.notes, clusters: p.clusters, relations: p.relations, filter });
  const [scene, setScene] = useState<MapScene | null>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setSize({ width: el.clientWidth, height: el.clientHeight });
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    measure();
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    if (!size.width || !size.height) return;
    let live = true;
    void layoutNetwork(network, size.width / size.height).then((layout) => {
      if (live) setScene(mapScene(network, layout, { width: size.width, height: size.height, notes: p.notes, domains: p.domains }));
    });
    return () => {
      live = false;
    };
  }, [network, size, p.notes, p.domains]);

  // A selection that the filters or the wall made disappear is dropped.
  useEffect(() => {
    if (!selection) return;
    const still =
      selection.kind === 'node'
        ? network.nodes.some((n) => n.id === selection.id)
        : network.edges.some((e) => e.source === selection.source && e.target === selection.target);
    if (!still) setSelection(null);
  }, [network, selection]);

  useEffect(() => {
    const w = window as unknown as { __maillageMap?: MapProbe };
    w.__maillageMap = {
      nodes: () => scene?.nodes.map((n) => ({ id: n.id, label: n.label, notes: n.notes, x: n.x, y: n.y, r: n.r })) ?? [],
      edges: () =>
        scene?.edges.map((e) => ({ source: e.source, target: e.target, kinds: e.edge.kinds, weight: e.edge.weight, notes: e.edge.notes, x: (e.x1 + e.x2) / 2, y: (e.y1 + e.y2) / 2 })) ?? [],
    };
    return () => {
      delete w.__maillageMap;
    };
  }, [scene]);

  const selectedNode = selection?.kind === 'node' ? selection.id : null;
  const touches = (s: string, tg: string) => selection?.kind === 'edge' && selection.source === s && selection.target === tg;
  const dimmed = (id: string) =>
    selection !== null &&
    (selection.kind === 'node'
      ? id !== selection.id && !network.edges.some((e) => (e.source === selection.id && e.target === id) || (e.target === selection.id && e.source === id))
      : id !== selection.source && id !== selection.target);
  const domainTitle = (d: Domain) => d.title[p.lang] || d.title.fr;
  const summary = useMemo(() => t('map.summary', { count: network.nodes.length, links: network.edges.length }), [t, network]);

  return (
    <section className={`map-view${p.projection ? ' map-projection' : ''}`} aria-labelledby="map-title" data-testid="relationship-map">
      <div className="map-bar">
        <h2 id="map-title">{t('map.title')}</h2>
        <label className="filter-field">
          {t('map.domain')}
          <select value={filter.domainId ?? ''} onChange={(e) => setFilter((f) => ({ ...f, domainId: e.target.value || undefined }))} data-testid="map-domain">
            <option value="">{t('review.all')}</option>
            {p.domains.map((d) => (
              <option key={d.id} value={d.id}>
                {domainTitle(d)}
              </option>
            ))}
          </select>
        </label>
        {p.clusters.length > 0 && (
          <label className="filter-field">
            {t('map.group')}
            <select value={filter.clusterId ?? ''} onChange={(e) => setFilter((f) => ({ ...f, clusterId: e.target.value || undefined }))} data-testid="map-group">
              <option value="">{t('review.all')}</option>
              {p.clusters.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label || '—'}
                </option>
              ))}
            </select>
          </label>
        )}
        <p className="muted small" role="status" data-testid="map-summary">
          {summary}
        </p>
        <ul className="map-legend" aria-label={t('map.legend')}>
          <li><span className="swatch line group" /> {t('map.kindGroup')}</li>
          <li><span className="swatch line connector" /> {t('map.kindConnector')}</li>
          <li><span className="swatch line similar" /> {t('map.kindSimilar')}</li>
        </ul>
      </div>
      <div className="map-body">
        <div className="map-canvas" ref={box}>
          {network.nodes.length === 0 && <p className="map-empty muted">{t('map.empty')}</p>}
          {scene && size.width > 0 && (
            <Stage width={size.width} height={size.height} onClick={(e) => e.target === e.target.getStage() && setSelection(null)} onTap={(e) => e.target === e.target.getStage() && setSelection(null)}>
              <Layer>
                {scene.edges.map((e) => {
                  const on = touches(e.source, e.target) || selectedNode === e.source || selectedNode === e.target;
                  const pick = () => setSelection({ kind: 'edge', source: e.source, target: e.target });
                  return (
                    <Line
                      key={`${e.source}|${e.target}`}
                      name="map-edge"
                      points={[e.x1, e.y1, e.x2, e.y2]}
                      stroke={e.color}
                      strokeWidth={on ? e.width + 2 : e.width}
                      dash={e.dash.length ? e.dash : undefined}
                      opacity={selection && !on ? 0.15 : e.kind === 'similar' ? 0.75 : 0.9}
                      hitStrokeWidth={Math.max(14, e.width + 10)}
                      lineCap="round"
                      onClick={pick}
                      onTap={pick}
                      onMouseEnter={(ev) => ((ev.target.getStage()?.container() as HTMLElement).style.cursor = 'pointer')}
                      onMouseLeave={(ev) => ((ev.target.getStage()?.container() as HTMLElement).style.cursor = '')}
                    />
                  );
                })}
                {scene.nodes.map((n) => {
                  const pick = () => setSelection({ kind: 'node', id: n.id });
                  return (
                    <Circle
                      key={n.id}
                      name="map-node"
                      x={n.x}
                      y={n.y}
                      radius={n.r}
                      fill={n.fill}
                      stroke={selectedNode === n.id ? '#2563eb' : MAP_COLORS.outline}
                      strokeWidth={selectedNode === n.id ? 4 : 1.5}
                      opacity={dimmed(n.id) ? 0.3 : 1}
                      onClick={pick}
                      onTap={pick}
                      onMouseEnter={(ev) => ((ev.target.getStage()?.container() as HTMLElement).style.cursor = 'pointer')}
                      onMouseLeave={(ev) => ((ev.target.getStage()?.container() as HTMLElement).style.cursor = '')}
                    />
                  );
                })}
                {scene.nodes.map((n) => {
                  const width = Math.max(n.labelWidth, 40);
                  // Kept inside the canvas: a label never runs off the edge.
                  const left = Math.min(Math.max(n.x - width / 2, 2), size.width - width - 2);
                  return [
                    <Rect key={`${n.id}-bg`} x={left - 3} y={n.y + n.r + 2} width={width + 6} height={n.font * 1.2 * n.lines.length + 2} fill="#ffffff" opacity={dimmed(n.id) ? 0.2 : 0.8} cornerRadius={3} listening={false} />,
                    <Text
                      key={`${n.id}-label`}
                      x={left}
                      y={n.y + n.r + 3}
                      width={width}
                      text={n.lines.join('\n')}
                      lineHeight={1.15}
                      fontSize={n.font}
                      fontFamily="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"
                      fill={MAP_COLORS.label}
                      align="center"
                      wrap="none"
                      ellipsis
                      opacity={dimmed(n.id) ? 0.3 : 1}
                      listening={false}
                    />,
                  ];
                })}
              </Layer>
            </Stage>
          )}
        </div>
        <MapDetails
          network={network}
          selection={selection}
          notes={p.notes}
          domains={p.domains}
          clusters={p.clusters}
          relations={p.relations}
          emails={p.emails}
          lang={p.lang}
          onSelect={setSelection}
        />
      </div>
    </section>
  );
}
