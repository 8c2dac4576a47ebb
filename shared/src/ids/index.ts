/**
 * Branded identifiers. A note id must never pass where a wall id is expected, so each id is a
 * string carrying a phantom brand that only the constructors below can attach.
 */
declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

export type BoardId = Brand<string, 'BoardId'>;
export type NoteId = Brand<string, 'NoteId'>;
export type DomainId = Brand<string, 'DomainId'>;
export type ClusterId = Brand<string, 'ClusterId'>;
export type SnapshotId = Brand<string, 'SnapshotId'>;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Random url-safe string of `length` characters, 6 bits each (crypto-grade randomness). */
export function randomToken(length: number): string {
  const bytes = new Uint8Array(length);
  // Web Crypto exists in browsers and in Node ≥ 19 as a global.
  (globalThis as unknown as { crypto: { getRandomValues(a: Uint8Array): Uint8Array } }).crypto.getRandomValues(bytes);
  let out = '';
  for (const b of bytes) out += ALPHABET[b & 63];
  return out;
}

/** Wall ids carry 132 random bits (22 × 6) so they cannot be guessed or enumerated. */
export const BOARD_ID_LENGTH = 22;
export const BOARD_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
/** Keys (host, review) carry 192 random bits. */
export const KEY_LENGTH = 32;

export const newBoardId = (): BoardId => randomToken(BOARD_ID_LENGTH) as BoardId;
export const newNoteId = (): NoteId => randomToken(12) as NoteId;
export const newDomainId = (): DomainId => randomToken(8) as DomainId;
export const newClusterId = (): ClusterId => randomToken(10) as ClusterId;
export const newSnapshotId = (): SnapshotId => randomToken(12) as SnapshotId;
export const newKey = (): string => randomToken(KEY_LENGTH);

export function isBoardId(value: unknown): value is BoardId {
  return typeof value === 'string' && BOARD_ID_PATTERN.test(value);
}

/** Narrows a string that has already been validated elsewhere (e.g. read back from the document). */
export const asNoteId = (s: string): NoteId => s as NoteId;
export const asDomainId = (s: string): DomainId => s as DomainId;
export const asBoardId = (s: string): BoardId => s as BoardId;

/**
 * A participant's device keeps a random secret; the public owner id written on their notes is
 * derived from it. The server derives the same id from the secret the connection presents, so
 * nobody can claim another person's notes by copying their (visible) owner id.
 */
export const OWNER_SECRET_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
export { ownerIdFromSecret } from './owner.ts';

/**
 * Code-unit order of two strings: the same on every device, locale and runtime (`localeCompare`
 * is not — it follows the locale's collation), so it breaks ties wherever two devices or two
 * servers must list the same records in the same order.
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
