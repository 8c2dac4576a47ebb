/**
 * Pan and zoom state of the stage: mouse wheel, trackpad (pinch arrives as ctrl+wheel), touch
 * pinch with two fingers, buttons, and zoom-to-fit. Kept outside React's render path: the stage
 * is moved directly, and React only hears about it once per animation frame (for culling).
 */
import { useCallback, useRef, useState } from 'react';
import type Konva from 'konva';
import type { Rect } from './geometry.ts';

export interface Viewport {
  x: number;
  y: number;
  scale: number;
}

export const MIN_SCALE = 0.1;
export const MAX_SCALE = 3;
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export function useViewport(stageRef: React.RefObject<Konva.Stage | null>) {
  const [viewport, setViewport] = useState<Viewport>({ x: 24, y: 24, scale: 1 });
  const frame = useRef<number | null>(null);

  /** Reads the stage's current transform into React state, at most once per frame. */
  const publish = useCallback(() => {
    if (frame.current !== null) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      const s = stageRef.current;
      if (s) setViewport({ x: s.x(), y: s.y(), scale: s.scaleX() });
    });
  }, [stageRef]);

  const apply = useCallback(
    (v: Viewport) => {
      const s = stageRef.current;
      if (!s) return;
      s.scale({ x: v.scale, y: v.scale });
      s.position({ x: v.x, y: v.y });
      s.batchDraw();
      publish();
    },
    [stageRef, publish],
  );

  /** Zooms by `factor` keeping the screen point `at` fixed. */
  const zoomAt = useCallback(
    (factor: number, at: { x: number; y: number }) => {
      const s = stageRef.current;
      if (!s) return;
      const old = s.scaleX();
      const scale = clamp(old * factor, MIN_SCALE, MAX_SCALE);
      const wx = (at.x - s.x()) / old;
      const wy = (at.y - s.y()) / old;
      apply({ scale, x: at.x - wx * scale, y: at.y - wy * scale });
    },
    [stageRef, apply],
  );

  const zoomBy = useCallback(
    (factor: number) => {
      const s = stageRef.current;
      if (s) zoomAt(factor, { x: s.width() / 2, y: s.height() / 2 });
    },
    [stageRef, zoomAt],
  );

  const fit = useCallback(
    (bounds: Rect, margin = 24) => {
      const s = stageRef.current;
      if (!s) return;
      const scale = clamp(
        Math.min((s.width() - 2 * margin) / bounds.width, (s.height() - 2 * margin) / bounds.height),
        MIN_SCALE,
        MAX_SCALE,
      );
      const v = { scale, x: (s.width() - bounds.width * scale) / 2 - bounds.x * scale, y: margin - bounds.y * scale };
      apply(v);
      // Known at once, not a frame later: what is drawn where (culling, the editor's place, the
      // positions the page publishes) must not describe the view before the fit.
      setViewport(v);
    },
    [stageRef, apply],
  );

  const onWheel = useCallback(
    (e: Konva.KonvaEventObject<WheelEvent>) => {
      const s = stageRef.current;
      if (!s) return;
      e.evt.preventDefault();
      const { deltaX, deltaY, deltaMode, ctrlKey, metaKey } = e.evt;
      // Trackpad pinch and mouse wheels zoom; two-finger trackpad scrolls (pixel deltas) pan.
      const mouseWheel = deltaMode === 1 || (deltaX === 0 && Math.abs(deltaY) >= 50 && Number.isInteger(deltaY));
      if (ctrlKey || metaKey || mouseWheel) {
        const pointer = s.getPointerPosition() ?? { x: s.width() / 2, y: s.height() / 2 };
        zoomAt(Math.exp(-deltaY * (ctrlKey ? 0.01 : 0.0015)), pointer);
      } else {
        apply({ scale: s.scaleX(), x: s.x() - deltaX, y: s.y() - deltaY });
      }
    },
    [stageRef, zoomAt, apply],
  );

  // Two-finger pinch: zoom around the fingers' midpoint and pan with it.
  const pinch = useRef<{ dist: number; center: { x: number; y: number } } | null>(null);
  const onTouchMove = useCallback(
    (e: Konva.KonvaEventObject<TouchEvent>) => {
      const s = stageRef.current;
      const [t1, t2] = [e.evt.touches[0], e.evt.touches[1]];
      if (!s || !t1 || !t2) return;
      e.evt.preventDefault();
      if (s.isDragging()) s.stopDrag();
      const box = s.container().getBoundingClientRect();
      const p1 = { x: t1.clientX - box.left, y: t1.clientY - box.top };
      const p2 = { x: t2.clientX - box.left, y: t2.clientY - box.top };
      const center = { x: (p1.x + p2.x) / 2, y: (p1.y + p2.y) / 2 };
      const dist = Math.hypot(p1.x - p2.x, p1.y - p2.y);
      const last = pinch.current;
      pinch.current = { dist, center };
      if (!last || last.dist === 0) return;
      const old = s.scaleX();
      const scale = clamp(old * (dist / last.dist), MIN_SCALE, MAX_SCALE);
      const wx = (last.center.x - s.x()) / old;
      const wy = (last.center.y - s.y()) / old;
      apply({ scale, x: center.x - wx * scale, y: center.y - wy * scale });
    },
    [stageRef, apply],
  );
  const onTouchEnd = useCallback(() => {
    pinch.current = null;
  }, []);

  return { viewport, publish, zoomBy, zoomAt, fit, onWheel, onTouchMove, onTouchEnd, apply };
}
