/**
 * The parts of the wall page that a participant's first screen does not need, each fetched the
 * first time it is shown (docs/spec.md R113): the canvas (Konva, the largest library), the hosts'
 * panel, groupings, snapshots, exports, review filters and the QR code. A phone on a mobile
 * network then downloads only the reading view before the join dialog.
 *
 * They live here, not next to each component, because this list is a decision about the
 * participant's first load; each wrapper takes the component's own props.
 */
import { lazy, Suspense, type ComponentType, type JSX, type ReactNode } from 'react';
import { LAYOUT, type Note } from '@maillage/shared';

function deferred<P extends object>(load: () => Promise<ComponentType<P>>, fallback: ReactNode = null): ComponentType<P> {
  const Lazy = lazy(async () => ({ default: await load() }));
  const Deferred = (props: P) => (
    <Suspense fallback={fallback}>
      <Lazy {...(props as P & JSX.IntrinsicAttributes)} />
    </Suspense>
  );
  return Deferred;
}

const loading = (
  <p className="loading" role="status">
    …
  </p>
);

export const Wall = deferred(() => import('../wall/Wall.tsx').then((m) => m.Wall), loading);
export const HostPanel = deferred(() => import('../panels/HostPanel.tsx').then((m) => m.HostPanel));
export const ClustersPanel = deferred(() => import('../panels/ClustersPanel.tsx').then((m) => m.ClustersPanel));
export const SnapshotsPanel = deferred(() => import('../panels/SnapshotsPanel.tsx').then((m) => m.SnapshotsPanel));
export const TimeTravelBanner = deferred(() => import('../panels/SnapshotsPanel.tsx').then((m) => m.TimeTravelBanner));
export const ExportMenu = deferred(() => import('../panels/ExportMenu.tsx').then((m) => m.ExportMenu));
export const ReviewFilters = deferred(() => import('../panels/ReviewFilters.tsx').then((m) => m.ReviewFilters));
export const Qr = deferred(() => import('../panels/Qr.tsx').then((m) => m.Qr));
export const ProjectionView = deferred(() => import('../projection/ProjectionView.tsx').then((m) => m.ProjectionView), loading);

/**
 * Fetches the canvas code while the person reads (after the first screen), so that the wall view
 * and the placement of a new note (measured with Konva) do not wait for the network later.
 */
export function prefetchCanvas(): void {
  const go = () => void import('../wall/geometry.ts').catch(() => {});
  const idle = (window as { requestIdleCallback?: (cb: () => void, o?: { timeout: number }) => number }).requestIdleCallback;
  if (idle) idle(go, { timeout: 4000 });
  else setTimeout(go, 1500);
}

/**
 * Where a new (or moved) note goes in a domain: the canvas's `nextSlot`, loaded on demand (it
 * measures text with Konva). If that code cannot be fetched (offline before it ever loaded), the
 * note goes just below the domain's lowest stored position: the column flow draws it after the
 * others without overlap (R128), and nothing typed waits for the network.
 */
export async function nextSlotOf(domainId: string, notes: readonly Note[]): Promise<{ x: number; y: number }> {
  try {
    const { nextSlot } = await import('../wall/geometry.ts');
    return nextSlot(domainId, notes as Note[]);
  } catch {
    const ys = notes.filter((n) => n.domainId === domainId).map((n) => n.y);
    return { x: LAYOUT.columnPadding, y: Math.max(LAYOUT.headerHeight + LAYOUT.columnPadding, ...ys.map((y) => y + 1)) };
  }
}
