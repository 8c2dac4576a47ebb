/**
 * The join dialog before the wall's code (R185). A participant link on a new device asks "who are
 * you?" before anything else, and that question needs only React, the strings and the dialog:
 * the wall (Yjs, socket.io, zod, the phone view) is a chunk of its own, fetched once the dialog
 * is up, while the person types.
 *
 * There is one dialog, owned here, for the page's whole life: when the wall page arrives and asks
 * for a profile itself, its `<JoinDialog mode="join">` hands its props to this host instead of
 * drawing a second dialog, so what the person has typed, and the focus, stay where they are.
 */
import { Suspense, useCallback, useEffect, useState, type ComponentType, type ReactNode } from 'react';
import { JoinDialog } from './JoinDialog.tsx';
import type { Profile } from '../sync/profile.ts';
import { JoinSlot, type JoinRequest } from './joinSlot.ts';

interface JoinHostProps {
  /** Ask at once (see `joinFirst`), before the page has loaded. */
  early: boolean;
  /** The page, a `React.lazy` component: it starts loading when first drawn. */
  page: ComponentType;
  /** Shown while the page loads (behind the dialog, when there is one). */
  fallback: ReactNode;
}

/**
 * Draws the page and the one join dialog. The dialog shows while the early question is
 * unanswered and the page has not mounted, then whenever the page asks. Once the page has
 * committed, it alone decides (a wall that does not exist, for instance, shows its message, not
 * the dialog).
 */
export function JoinHost({ early, page: Page, fallback }: JoinHostProps) {
  const [request, setRequest] = useState<JoinRequest | null>(null);
  const [pending, setPending] = useState(early);
  const [mounted, setMounted] = useState(false);
  // With an early dialog, the page's code is asked for once the dialog is painted, so that its
  // download and evaluation cannot delay the first screen; otherwise at once.
  const [started, setStarted] = useState(!early);
  useEffect(() => {
    if (started) return;
    const timer = setTimeout(() => setStarted(true), 0);
    return () => clearTimeout(timer);
  }, [started]);
  const onMounted = useCallback(() => setMounted(true), []);
  // An answer waits here until the page takes it: the page may have read the device's profile
  // before the answer was saved (it then asks, and is answered at once), or after (it never asks).
  const [answer, setAnswer] = useState<Profile | null>(null);
  useEffect(() => {
    if (!answer) return;
    if (request) {
      request.onDone(answer);
      setAnswer(null);
    } else if (mounted) {
      setAnswer(null);
    }
  }, [answer, request, mounted]);
  const show = !answer && (request !== null || (pending && !mounted));
  return (
    <JoinSlot.Provider value={setRequest}>
      <Suspense fallback={fallback}>
        {started && (
          <MountSignal onMounted={onMounted}>
            <Page />
          </MountSignal>
        )}
      </Suspense>
      {show && (
        <JoinSlot.Provider value={null}>
          <JoinDialog
            initial={null}
            retentionDays={request?.retentionDays ?? null}
            onDone={(p) => {
              setPending(false);
              setAnswer(p);
              // Answered before the page asked: kept where the page will read it.
              if (!request) void import('../sync/profile.ts').then((m) => m.saveProfile(p));
            }}
          />
        </JoinSlot.Provider>
      )}
    </JoinSlot.Provider>
  );
}

/** Reports its first commit: inside the Suspense boundary, that is once the page has loaded. */
function MountSignal({ onMounted, children }: { onMounted(): void; children: ReactNode }) {
  useEffect(() => onMounted(), [onMounted]);
  return children;
}
