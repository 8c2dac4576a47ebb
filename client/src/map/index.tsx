/**
 * The relationship map as the wall page mounts it: fetched the first time it is shown, so that
 * neither a participant's first screen nor the wall carries its code (R113).
 */
import { lazy, Suspense } from 'react';
import type { RelationshipMapProps } from './RelationshipMap.tsx';

const Lazy = lazy(() => import('./RelationshipMap.tsx').then((m) => ({ default: m.RelationshipMap })));

export function RelationshipMap(props: RelationshipMapProps) {
  return (
    <Suspense
      fallback={
        <p className="loading" role="status">
          …
        </p>
      }
    >
      <Lazy {...props} />
    </Suspense>
  );
}
