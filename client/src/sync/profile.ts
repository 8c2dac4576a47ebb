/**
 * Who this device is: name, email, organization and note colour, remembered per device (never
 * sent anywhere except inside the notes the person writes), plus a random owner id that marks
 * which notes are theirs.
 */
import { EmailSchema, NOTE_COLORS, OWNER_SECRET_PATTERN, PersonSchema, ownerIdFromSecret, randomToken } from '@maillage/shared';

export interface Profile {
  author: string;
  email: string;
  org: string;
  color: string;
}

const PROFILE_KEY = 'maillage.profile';
const SECRET_KEY = 'maillage.ownerSecret';

export function loadProfile(): Profile | null {
  try {
    const raw = JSON.parse(localStorage.getItem(PROFILE_KEY) ?? 'null') as unknown;
    const parsed = PersonSchema.safeParse(raw);
    if (!parsed.success || !parsed.data.author) return null;
    const color = (raw as { color?: unknown }).color;
    return { author: parsed.data.author, org: parsed.data.org, email: parsed.data.email ?? '', color: typeof color === 'string' && /^#[0-9a-f]{6}$/i.test(color) ? color : NOTE_COLORS[0] };
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
