import { digest } from 'lib0/hash/sha256';
import { toBase64UrlEncoded } from 'lib0/buffer';
import { encodeUtf8 } from 'lib0/string';

/** Public owner id of a device secret (22 url-safe characters of SHA-256). Pure JS: works offline and on plain http. */
export function ownerIdFromSecret(secret: string): string {
  return toBase64UrlEncoded(digest(encodeUtf8(`maillage-owner:${secret}`))).slice(0, 22);
}
