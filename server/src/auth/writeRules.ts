/**
 * Which roles may write to the live document. Kept apart from the sync code so that the rules can
 * grow (locked walls, per-note ownership) without the transport knowing about them.
 */
import type { Role } from '@maillage/shared';

export type WriteDecision = { ok: true } | { ok: false; reason: string };

export function mayWrite(role: Role): WriteDecision {
  switch (role) {
    case 'host':
    case 'participant':
      return { ok: true };
    case 'review':
      return { ok: false, reason: 'read-only: this is a review link' };
    default: {
      const never: never = role;
      return { ok: false, reason: `unknown role ${String(never)}` };
    }
  }
}
