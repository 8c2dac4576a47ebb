/**
 * Whether the projected screen plays the timer's end sound (docs/spec.md R193). A host in a
 * quiet room, or presenting from a laptop whose speakers are on the room's system, turns it off
 * once; the choice is this device's (localStorage), not the wall's, and survives reloads.
 */
import { useCallback, useState } from 'react';

const KEY = 'maillage.timerSound';

export function timerSoundOn(): boolean {
  try {
    return window.localStorage.getItem(KEY) !== 'off';
  } catch {
    return true;
  }
}

/** [sound on, toggle]: the toggle writes the choice for this device. */
export function useTimerSound(): [boolean, () => void] {
  const [on, setOn] = useState(timerSoundOn);
  const toggle = useCallback(() => {
    setOn((was) => {
      const next = !was;
      try {
        if (next) window.localStorage.removeItem(KEY);
        else window.localStorage.setItem(KEY, 'off');
      } catch {
        /* private mode: the choice lasts until the page closes */
      }
      return next;
    });
  }, []);
  return [on, toggle];
}
