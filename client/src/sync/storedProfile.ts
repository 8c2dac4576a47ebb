/**
 * Where this device keeps its profile, readable without the validators of `profile.ts` (zod):
 * the first screen of a participant link decides from it whether to ask "who are you?" before the
 * wall's code has arrived (client/src/join/JoinHost.tsx, R185). `loadProfile()` stays the one
 * that validates what is read.
 */
export const PROFILE_KEY = 'maillage.profile';

/**
 * Whether a profile with a name seems to be stored. A "yes" may still be refused by
 * `loadProfile()` (then the wall asks, only later); a "no" always means the wall would ask.
 */
export function seemsToHaveProfile(): boolean {
  try {
    const raw = JSON.parse(localStorage.getItem(PROFILE_KEY) ?? 'null') as { author?: unknown } | null;
    return typeof raw?.author === 'string' && raw.author.trim() !== '';
  } catch {
    return false;
  }
}
