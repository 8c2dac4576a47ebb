/**
 * Connectors between notes ("complements", "same audience", …). Drawn from the notes' current
 * positions on every render, so they follow their notes when those move. The layer sits above the
 * notes (docs/spec.md R124): a label drawn under a note is never read.
 */
import { memo } from 'react';
import { Arrow, Group, Label, Layer, Tag, Text } from 'react-konva';
import { LAYOUT, type Relation } from '@maillage/shared';
import { FONT_FAMILY } from './geometry.ts';

export interface NoteAnchor {
  x: number;
  y: number;
  height: number;
  /** Width on the wall (the canvas's notes are all LAYOUT.noteWidth; the projection's vary). */
  width?: number;
}

/** A connector's path (flat x,y pairs), whether it is curved, and where its label sits. */
export interface RelationPath {
  points: number[];
  curved: boolean;
  label: { x: number; y: number };
}

const widthOf = (a: NoteAnchor) => a.width ?? LAYOUT.noteWidth;

function edgePoint(from: NoteAnchor, to: NoteAnchor): { x: number; y: number } {
  // Leave from the side of the note facing the other note, so arrows don't cross their own note.
  const fx = from.x + widthOf(from) / 2;
  const fy = from.y + from.height / 2;
  const tx = to.x + widthOf(to) / 2;
  const ty = to.y + to.height / 2;
  const dx = tx - fx;
  const dy = ty - fy;
  const sx = Math.abs(dx) > 1e-6 ? widthOf(from) / 2 / Math.abs(dx) : Infinity;
  const sy = Math.abs(dy) > 1e-6 ? from.height / 2 / Math.abs(dy) : Infinity;
  const s = Math.min(sx, sy, 1);
  return { x: fx + dx * s, y: fy + dy * s };
}

/**
 * Two notes of one column (one above the other) get a curve out to the right: a straight arrow
 * between stacked notes is a stub the width of the gap, and one between distant notes of a column
 * runs over every note in between. Other pairs get a straight arrow between facing edges.
 */
export function relationPath(a: NoteAnchor, b: NoteAnchor): RelationPath {
  const overlapX = Math.min(a.x + widthOf(a), b.x + widthOf(b)) - Math.max(a.x, b.x);
  if (overlapX > Math.min(widthOf(a), widthOf(b)) / 2) {
    const right = Math.max(a.x + widthOf(a), b.x + widthOf(b));
    const ay = a.y + a.height / 2;
    const by = b.y + b.height / 2;
    const bulge = Math.min(140, Math.max(56, Math.abs(by - ay) / 4));
    const sx = a.x + widthOf(a);
    const ex = b.x + widthOf(b) + 4;
    const mid = { x: right + bulge, y: (ay + by) / 2 };
    return { points: [sx, ay, right + bulge * 0.75, ay, mid.x, mid.y, right + bulge * 0.75, by, ex, by], curved: true, label: mid };
  }
  const p = edgePoint(a, b);
  const q = edgePoint(b, a);
  return { points: [p.x, p.y, q.x, q.y], curved: false, label: { x: (p.x + q.x) / 2, y: (p.y + q.y) / 2 } };
}

function RelationLayerImpl({
  relations,
  anchors,
  selected,
  scale = 1,
  onSelect,
}: {
  relations: Relation[];
  anchors: Map<string, NoteAnchor>;
  selected: string | null;
  /** Current zoom: labels keep a readable size on screen (≥ 14 px) when zoomed out. */
  scale?: number;
  onSelect(id: string): void;
}) {
  const font = Math.min(30, Math.max(14, 14 / Math.max(scale, 0.05)));
  return (
    <Layer name="relations">
      {relations.map((r) => {
        const a = anchors.get(r.from);
        const b = anchors.get(r.to);
        if (!a || !b) return null;
        const path = relationPath(a, b);
        const isSel = r.id === selected;
        const color = isSel ? '#b42318' : '#1f3a5f';
        return (
          <Group key={r.id} name="relation" onClick={() => onSelect(r.id)} onTap={() => onSelect(r.id)}>
            <Arrow
              points={path.points}
              tension={path.curved ? 0.5 : 0}
              stroke={color}
              fill={color}
              strokeWidth={isSel ? 4 : 3}
              pointerLength={14}
              pointerWidth={14}
              hitStrokeWidth={16}
              perfectDrawEnabled={false}
              shadowColor="#ffffff"
              shadowBlur={4}
              shadowOpacity={0.9}
            />
            {r.label && (
              <Label x={path.label.x} y={path.label.y} name="relation-label">
                <Tag fill="#ffffff" stroke={color} strokeWidth={1.5} cornerRadius={4} pointerDirection="down" pointerWidth={8} pointerHeight={6} />
                <Text text={r.label} fontSize={font} fontFamily={FONT_FAMILY} fontStyle="bold" padding={4} fill="#1f3a5f" />
              </Label>
            )}
          </Group>
        );
      })}
    </Layer>
  );
}

export const RelationLayer = memo(RelationLayerImpl);
