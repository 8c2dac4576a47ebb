/**
 * Who this device is: name, email, organization and note colour, remembered per device (never
 * sent anywhere except inside the notes the person writes), plus a random owner id that marks
 * which notes are theirs.
 */
import { EmailSchema, NOTE_COLORS, PersonSchema, randomToken } from '@maillage/shared';

export interface Profile {
  author: string;
  email: string;
  org: string;
  color: string;
}

const PROFILE_KEY = 'maillage.profile';
const OWNER_KEY = 'maillage.ownerId';

export function loadProfile(): Profile | null {
  try {
    const raw = JSON.parse(localStorage.getItem(PROFILE_KEY) ?? 'null') as unknown;
    const parsed = PersonSchema.safeParse(raw);
    if (!parsed.success || !parsed.data.author) return null;
    const color = (raw as { color?: unknown }).color;
    return { ...parsed.data, color: typeof color === 'string' && /^#[0-9a-f]{6}$/i.test(color) ? color : NOTE_COLORS[0] };
  } catch {
    return null;
  }
}

export function saveProfile(p: Profile): void {
  localStorage.setItem(PROFILE_KEY, JSON.stringify(p));
}

export function ownerId(): string {
  let id = localStorage.getItem(OWNER_KEY);
  if (!id) {
    id = randomToken(16);
    localStorage.setItem(OWNER_KEY, id);
  }
  return id;
}

export const isValidEmail = (s: string): boolean => s.trim() !== '' && EmailSchema.safeParse(s).success;
