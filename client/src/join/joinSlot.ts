/**
 * The hand-over between the page's join dialog and the one the join host already shows
 * (JoinHost.tsx, R185): one dialog for the page's whole life, whoever asks.
 */
import { createContext, useContext } from 'react';
import type { Profile } from '../sync/profile.ts';

/** What a page's own join dialog hands over: where the answer goes, and what the dialog shows. */
export interface JoinRequest {
  onDone(p: Profile): void;
  retentionDays: number | null;
}

/** Set by the join host; null outside one (and inside its own dialog). */
export const JoinSlot = createContext<((request: JoinRequest | null) => void) | null>(null);

export const useJoinSlot = () => useContext(JoinSlot);
