/**
 * When the wall page takes its phone form (docs/spec.md R100): a narrow screen (≤ 700 CSS px, a
 * phone held either way up in a browser) or a coarse pointer (a finger, whatever the width).
 * The canvas's default zoom shows such a screen every note as grey bars; the phone view shows
 * them as text.
 */
import { useCallback, useState, useSyncExternalStore } from 'react';

export const PHONE_QUERY = '(max-width: 700px), (pointer: coarse)';

const query = () => (typeof window !== 'undefined' ? (window.matchMedia?.(PHONE_QUERY) ?? null) : null);

/** True now, on a phone-sized or touch screen. */
export function isPhoneLayout(): boolean {
  return query()?.matches ?? false;
}

/** Follows the media query (a phone turned sideways, a window narrowed on a desktop). */
export function usePhoneLayout(): boolean {
  return useSyncExternalStore(
    useCallback((onChange: () => void) => {
      const q = query();
      q?.addEventListener('change', onChange);
      return () => q?.removeEventListener('change', onChange);
    }, []),
    isPhoneLayout,
    () => false,
  );
}

export type WallView = 'canvas' | 'list';

/** The device's last choice of view (kept across walls and reloads). */
export const VIEW_STORAGE_KEY = 'maillage.view';

function storedView(): WallView | null {
  try {
    const v = localStorage.getItem(VIEW_STORAGE_KEY);
    return v === 'canvas' || v === 'list' ? v : null;
  } catch {
    return null;
  }
}

/**
 * The wall's view: what this device chose last, else the list on a phone (readable cards,
 * R100) and the canvas elsewhere. A choice is remembered: someone who prefers the canvas on
 * their phone keeps it.
 */
export function useViewPreference(): [WallView, (v: WallView) => void] {
  const [view, setView] = useState<WallView>(() => storedView() ?? (isPhoneLayout() ? 'list' : 'canvas'));
  const choose = useCallback((v: WallView) => {
    setView(v);
    try {
      localStorage.setItem(VIEW_STORAGE_KEY, v);
    } catch {
      // Storage full or disabled: the choice lasts for this page only.
    }
  }, []);
  return [view, choose];
}
