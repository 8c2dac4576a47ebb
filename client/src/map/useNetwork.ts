/**
 * The wall's network as the server computes it (`GET /api/boards/:id/network`, the same answer
 * the GraphML and Kumu exports and the PDF page are made from), fetched again when the wall's
 * content changes (debounced) and when the filters change. Until the first answer, and if the
 * server cannot be reached, the same shared function runs here over the wall the page holds
 * (without the server's similarity suggestions).
 */
import { useEffect, useMemo, useState } from 'react';
import { computeNetwork, type Cluster, type Network, type NetworkFilter, type Note, type Relation } from '@maillage/shared';

const REFRESH_MS = 400;

export function useNetwork(p: { boardId: string; accessKey: string; notes: Note[]; clusters: Cluster[]; relations: Relation[]; filter: NetworkFilter }): {
  network: Network;
  fromServer: boolean;
} {
  const { boardId, accessKey, notes, clusters, relations, filter } = p;
  const local = useMemo(() => computeNetwork({ notes, clusters, relations }, filter), [notes, clusters, relations, filter]);
  const [remote, setRemote] = useState<{ key: string; network: Network } | null>(null);
  const filterKey = `${filter.domainId ?? ''}|${filter.clusterId ?? ''}`;
  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      const q = new URLSearchParams();
      if (filter.domainId) q.set('domain', filter.domainId);
      if (filter.clusterId) q.set('group', filter.clusterId);
      fetch(`/api/boards/${boardId}/network?${q}`, { headers: { authorization: `Bearer ${accessKey}` }, signal: controller.signal })
        .then((r) => (r.ok ? (r.json() as Promise<Network>) : null))
        .then((network) => network && setRemote({ key: filterKey, network }))
        .catch(() => undefined);
    }, REFRESH_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
    // The wall's content is a dependency: the server's answer changes with it.
  }, [boardId, accessKey, filterKey, filter.domainId, filter.clusterId, notes, clusters, relations]);
  return remote && remote.key === filterKey ? { network: remote.network, fromServer: true } : { network: local, fromServer: false };
}
