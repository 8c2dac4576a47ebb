/**
 * Where side panels start (docs/spec.md R231): right under the wall's toolbar, whatever its
 * height. The toolbar wraps to two or three rows on a narrow desktop window and grows with the
 * text size, so a fixed `top` either hid the panel's head under it or left a gap. The toolbar's
 * bottom edge is written to `--toolbar-bottom` on the page element, which the panels' CSS reads.
 */
import { useCallback, useRef } from 'react';

/**
 * A callback ref for the wall page's element: while it is mounted, `--toolbar-bottom` on it
 * follows the bottom of its `.toolbar` child — on every change of the toolbar's size, and when
 * the toolbar is drawn anew (leaving projection, the phone header replacing the desktop one).
 */
export function useToolbarOffset(): (page: HTMLElement | null) => void {
  const stop = useRef<(() => void) | null>(null);
  return useCallback((page: HTMLElement | null) => {
    stop.current?.();
    stop.current = null;
    if (!page || typeof ResizeObserver === 'undefined') return;
    let bar: HTMLElement | null = null;
    const update = () => {
      if (!bar) return;
      const bottom = bar.getBoundingClientRect().bottom - page.getBoundingClientRect().top;
      page.style.setProperty('--toolbar-bottom', `${Math.round(bottom)}px`);
    };
    const sizes = new ResizeObserver(update);
    const find = () => {
      const next = page.querySelector<HTMLElement>(':scope > .toolbar');
      if (next === bar) return;
      if (bar) sizes.unobserve(bar);
      bar = next;
      if (bar) {
        sizes.observe(bar);
        update();
      }
    };
    const children = new MutationObserver(find);
    children.observe(page, { childList: true });
    find();
    stop.current = () => {
      children.disconnect();
      sizes.disconnect();
    };
  }, []);
}
