/** Names a link without keeping its key (a module of its own: the session code needs it without y-indexeddb). */
/**
 * A short tag naming the link a wall was opened with — the key hashed (FNV-1a) rather than kept:
 * only "same link as before" matters, and the key itself is a secret. '-' for the participant
 * link (no key).
 */
export function linkTag(key: string | null): string {
  if (!key) return '-';
  let h = 0x811c9dc5;
  for (const ch of key) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h.toString(36);
}
