/**
 * Snapshots of a wall as the REST API shows them (`/api/boards/:id/snapshots`, docs/export.md).
 * The Yjs state itself stays on the server; clients see these summaries and, to look back in
 * time, a snapshot's content as a `WallExport`.
 */
import { z } from 'zod';
import { LIMITS } from './limits.ts';
import type { WallExport } from './wallExport.ts';

/**
 * Why a snapshot exists: a host saved it ('manual'), the server took it periodically ('auto'),
 * a host ended the session ('end'), or a restore was about to replace the wall ('restore': the
 * state just before it, so restoring that one undoes the restore).
 */
export const SNAPSHOT_KINDS = ['manual', 'auto', 'end', 'restore'] as const;
export type SnapshotKind = (typeof SNAPSHOT_KINDS)[number];

export const SNAPSHOT_ID_PATTERN = /^[A-Za-z0-9_-]{12}$/;

/** Body of `POST /api/boards/:id/snapshots`. */
export const CreateSnapshotSchema = z
  .object({
    name: z.string().trim().min(1, 'a snapshot needs a name').max(LIMITS.snapshotName),
  })
  .strict();
export type CreateSnapshotInput = z.infer<typeof CreateSnapshotSchema>;

/** One entry of `GET /api/boards/:id/snapshots` (newest first). */
export interface SnapshotInfo {
  id: string;
  name: string;
  kind: SnapshotKind;
  /** When it was taken (ms since the epoch). */
  createdAt: number;
  noteCount: number;
}

/** `GET /api/boards/:id/snapshots/:sid`: the wall as it was (emails only for those who may see them). */
export interface SnapshotView {
  snapshot: SnapshotInfo;
  wall: WallExport;
}

/** `POST /api/boards/:id/snapshots/:sid/restore`. */
export interface RestoreResult {
  restored: SnapshotInfo;
  /** The state just before the restore; restoring it undoes the restore. */
  backup: SnapshotInfo;
}

export function isSnapshotKind(v: unknown): v is SnapshotKind {
  return typeof v === 'string' && (SNAPSHOT_KINDS as readonly string[]).includes(v);
}
