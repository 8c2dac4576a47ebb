/**
 * Who this device is: name, email (with the person's choice of who may see it), organization and
 * note colour, remembered per device, plus a random owner id that marks which notes are theirs.
 * Name, organization and colour go on the notes the person writes; the email and its choice never
 * do — they are sent to the server's contact store with `contact:set` (R90).
 */
import { DEFAULT_CONTACT_SHARE, EmailSchema, NOTE_COLORS, OWNER_SECRET_PATTERN, PersonSchema, ownerIdFromSecret, randomToken, readContactShare, type ContactShare } from '@maillage/shared';
import { PROFILE_KEY } from './storedProfile.ts';

export interface Profile {
  author: string;
  email: string;
  /** Who may see the email (R91); `review` (hosts, and reviewers if the host allows) by default. */
  share: ContactShare;
  org: string;
  color: string;
}

const SECRET_KEY = 'maillage.ownerSecret';

export function loadProfile(): Profile | null {
  try {
    const raw = JSON.parse(localStorage.getItem(PROFILE_KEY) ?? 'null') as unknown;
    const parsed = PersonSchema.safeParse(raw);
    if (!parsed.success || !parsed.data.author) return null;
    const color = (raw as { color?: unknown }).color;
    const share = readContactShare((raw as { share?: unknown }).share ?? DEFAULT_CONTACT_SHARE);
    return { author: parsed.data.author, org: parsed.data.org, email: parsed.data.email ?? '', share, color: typeof color === 'string' && /^#[0-9a-f]{6}$/i.test(color) ? color : NOTE_COLORS[0] };
  } catch {
    return null;
  }
}

export function saveProfile(p: Profile): void {
  localStorage.setItem(PROFILE_KEY, JSON.stringify(p));
}

/** This device's secret; presented to the server, which derives the same owner id from it. */
export function ownerSecret(): string {
  let s = localStorage.getItem(SECRET_KEY);
  if (!s || !OWNER_SECRET_PATTERN.test(s)) {
    s = randomToken(32);
    localStorage.setItem(SECRET_KEY, s);
  }
  return s;
}

/** Public id written on this device's notes (computable offline). */
export function ownerId(): string {
  return ownerIdFromSecret(ownerSecret());
}

export const isValidEmail = (s: string): boolean => s.trim() !== '' && EmailSchema.safeParse(s).success;
