/**
 * Undo/redo of this browser's own changes only: the manager tracks transactions whose origin is
 * LOCAL_ORIGIN, so someone else's note is never undone by our Ctrl+Z.
 */
import { useEffect, useMemo, useState } from 'react';
import * as Y from 'yjs';
import { clustersMap, relationsMap, roots } from '@maillage/shared';
import { LOCAL_ORIGIN } from '../sync/connection.ts';

export function useUndo(doc: Y.Doc | null, enabled: boolean) {
  const manager = useMemo(() => {
    if (!doc) return null;
    const { notes, domains } = roots(doc);
    // Every user action is one transaction, so one transaction = one undo step (no time merging).
    return new Y.UndoManager([notes, domains, clustersMap(doc), relationsMap(doc)], { trackedOrigins: new Set([LOCAL_ORIGIN]), captureTimeout: 0 });
  }, [doc]);
  const [stacks, setStacks] = useState({ canUndo: false, canRedo: false });

  useEffect(() => {
    if (!manager) return;
    const update = () => setStacks({ canUndo: manager.undoStack.length > 0, canRedo: manager.redoStack.length > 0 });
    manager.on('stack-item-added', update);
    manager.on('stack-item-popped', update);
    manager.on('stack-cleared', update);
    return () => {
      manager.off('stack-item-added', update);
      manager.off('stack-item-popped', update);
      manager.off('stack-cleared', update);
      manager.destroy();
    };
  }, [manager]);

  useEffect(() => {
    if (!manager || !enabled) return;
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable)) return;
      if (!(e.ctrlKey || e.metaKey) || e.key.toLowerCase() !== 'z' && e.key.toLowerCase() !== 'y') return;
      e.preventDefault();
      if (e.key.toLowerCase() === 'y' || e.shiftKey) manager.redo();
      else manager.undo();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [manager, enabled]);

  return {
    undo: () => manager?.undo(),
    redo: () => manager?.redo(),
    ...stacks,
    /** Ends the current capture group so the next change is undone separately. */
    stop: () => manager?.stopCapturing(),
  };
}
