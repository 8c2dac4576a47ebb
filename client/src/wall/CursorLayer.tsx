/**
 * Other people's pointers, drawn on their own Konva layer so that cursor traffic (up to 10 batches
 * a second) never re-renders the notes. Our own pointer is sent at most every CURSOR_SEND_MS, and
 * only while it moves; a cursor silent for CURSOR_STALE_MS fades out.
 */
import { useEffect, useRef, useState } from 'react';
import { Group, Layer, Path, Text, Label, Tag } from 'react-konva';
import type Konva from 'konva';
import type { CursorEntry } from '@maillage/shared';
import type { SessionSocket } from '../sync/session.ts';

const CURSOR_SEND_MS = 100;
const CURSOR_STALE_MS = 5000;

interface Cursor {
  x: number;
  y: number;
  name: string;
  color: string;
  at: number;
}

export function CursorLayer({ socket, scale }: { socket: SessionSocket | null; scale: number }) {
  const [cursors, setCursors] = useState<Map<string, Cursor>>(new Map());
  useEffect(() => {
    if (!socket) return;
    const onBatch = (batch: CursorEntry[]) => {
      setCursors((prev) => {
        const next = new Map(prev);
        const now = Date.now();
        for (const [id, x, y, name, color] of batch) {
          if (id === socket.id?.slice(0, 8)) continue;
          if (x === null || y === null) next.delete(id);
          else next.set(id, { x, y, name, color, at: now });
        }
        for (const [id, c] of next) if (now - c.at > CURSOR_STALE_MS) next.delete(id);
        return next;
      });
    };
    socket.on('presence:cursors', onBatch);
    return () => {
      socket.off('presence:cursors', onBatch);
    };
  }, [socket]);

  const k = 1 / scale; // keep cursors the same size on screen at any zoom
  return (
    <Layer listening={false} name="cursors">
      {Array.from(cursors, ([id, c]) => (
        <Group key={id} x={c.x} y={c.y} scaleX={k} scaleY={k}>
          <Path data="M0 0 L0 16 L4.5 12 L8 19 L10.5 18 L7 11 L13 11 Z" fill={c.color} stroke="#fff" strokeWidth={1} />
          {c.name && (
            <Label x={12} y={16}>
              <Tag fill={c.color} cornerRadius={3} />
              <Text text={c.name} fontSize={12} padding={3} fill="#111" />
            </Label>
          )}
        </Group>
      ))}
    </Layer>
  );
}

/** Returns a stage mousemove handler that sends our pointer (world coordinates) at ≤ 10 Hz. */
export function useCursorSender(socket: SessionSocket | null, enabled: boolean) {
  const last = useRef(0);
  return (e: Konva.KonvaEventObject<MouseEvent>) => {
    if (!socket || !enabled) return;
    const now = performance.now();
    if (now - last.current < CURSOR_SEND_MS) return;
    last.current = now;
    const stage = e.target.getStage();
    const p = stage?.getRelativePointerPosition();
    if (p) socket.volatile.emit('presence:cursor', [p.x, p.y]);
  };
}
