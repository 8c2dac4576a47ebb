/**
 * What this browser keeps of a wall between visits — the IndexedDB copy of its document
 * (`maillage:<wallId>`, y-indexeddb) and the wall's localStorage entries (drafts, last session) —
 * and how it is given up (issue 13, docs/spec.md R92). Erasing on the server is not enough: a
 * deleted wall or an erased person must not live on in the browsers that once opened the wall.
 */
import { storeState, type IndexeddbPersistence } from 'y-indexeddb';
import { linkTag } from './linkTag.ts';

/**
 * The IndexedDB database holding a wall's document on this device, one per link (R207): the
 * participant link's copy is `maillage:<wallId>`, a keyed link's `maillage:<wallId>:<tag>`.
 * Separate because a copy follows its connection's role: a review link writes nothing, so the
 * server puts back whatever its copy would send — were the copy shared, a participant's notes
 * written offline and not yet sent would be removed from the device by opening the review link.
 */
export const localDbName = (boardId: string, key: string | null = null): string =>
  key ? `maillage:${boardId}:${linkTag(key)}` : `maillage:${boardId}`;

/** Whether an IndexedDB database name is one of this wall's copies (any link). */
export const isLocalDbOf = (boardId: string, name: string): boolean => name === `maillage:${boardId}` || name.startsWith(`maillage:${boardId}:`);

/**
 * localStorage keys this app wrote for one wall: every `maillage.*` key with the wall id as one
 * of its dot-separated parts (`maillage.drafts.<id>`, `maillage.session.<id>.<link>`). The
 * device's profile and secret (`maillage.profile`, `maillage.ownerSecret`) belong to no wall.
 */
export function wallStorageKeys(boardId: string, storage: Storage = localStorage): string[] {
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const k = storage.key(i);
    if (k?.startsWith('maillage.') && k.split('.').includes(boardId)) keys.push(k);
  }
  return keys;
}

/**
 * Forgets a wall on this device: closes its IndexedDB persistence (a database with an open
 * connection cannot be deleted), deletes the database and removes the wall's localStorage
 * entries. Resolves once the browser confirms the deletion (or reports it blocked by another
 * tab, in which case it completes when that tab closes its connection).
 */
export async function forgetWall(boardId: string, local: IndexeddbPersistence | null): Promise<void> {
  try {
    for (const k of wallStorageKeys(boardId)) localStorage.removeItem(k);
  } catch {
    // Storage disabled: nothing was kept there.
  }
  try {
    await local?.destroy();
  } catch {
    // Already closed.
  }
  if (typeof indexedDB === 'undefined') return;
  // Every link's copy of the wall (R207); where the browser cannot list its databases, the
  // participant link's copy and the one open now.
  const names = new Set([localDbName(boardId)]);
  if (local) names.add(local.name);
  try {
    for (const db of await indexedDB.databases()) if (db.name && isLocalDbOf(boardId, db.name)) names.add(db.name);
  } catch {
    // databases() is missing in older browsers.
  }
  await Promise.all(
    [...names].map(
      (name) =>
        new Promise<void>((resolve) => {
          try {
            const req = indexedDB.deleteDatabase(name);
            req.onsuccess = req.onerror = req.onblocked = () => resolve();
          } catch {
            resolve();
          }
        }),
    ),
  );
}

/**
 * Rewrites the local copy as one update holding the document as it is now. y-indexeddb keeps
 * every update it received until it trims at 500; the ones that inserted a note erased since
 * (deleted on the server, or a person erased) would keep its text on the device. The document
 * itself garbage-collects deleted content, so its current state no longer contains it.
 */
export async function compactLocalCopy(local: IndexeddbPersistence | null): Promise<void> {
  if (!local) return;
  try {
    await local.whenSynced;
    await storeState(local, true);
  } catch {
    // Destroyed meanwhile (the page left the wall): nothing to compact.
  }
}
