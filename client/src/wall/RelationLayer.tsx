/**
 * Connectors between notes ("complements", "same audience", …). Drawn from the notes' current
 * positions on every render, so they follow their notes when those move.
 */
import { memo } from 'react';
import { Arrow, Group, Label, Layer, Tag, Text } from 'react-konva';
import { LAYOUT, type Relation } from '@maillage/shared';

export interface NoteAnchor {
  x: number;
  y: number;
  height: number;
}

function edgePoint(from: NoteAnchor, to: NoteAnchor): { x: number; y: number } {
  // Leave from the side of the note facing the other note, so arrows don't cross their own note.
  const fx = from.x + LAYOUT.noteWidth / 2;
  const fy = from.y + from.height / 2;
  const tx = to.x + LAYOUT.noteWidth / 2;
  const ty = to.y + to.height / 2;
  const dx = tx - fx;
  const dy = ty - fy;
  const sx = Math.abs(dx) > 1e-6 ? LAYOUT.noteWidth / 2 / Math.abs(dx) : Infinity;
  const sy = Math.abs(dy) > 1e-6 ? from.height / 2 / Math.abs(dy) : Infinity;
  const s = Math.min(sx, sy, 1);
  return { x: fx + dx * s, y: fy + dy * s };
}

function RelationLayerImpl({
  relations,
  anchors,
  selected,
  onSelect,
}: {
  relations: Relation[];
  anchors: Map<string, NoteAnchor>;
  selected: string | null;
  onSelect(id: string): void;
}) {
  return (
    <Layer>
      {relations.map((r) => {
        const a = anchors.get(r.from);
        const b = anchors.get(r.to);
        if (!a || !b) return null;
        const p = edgePoint(a, b);
        const q = edgePoint(b, a);
        const isSel = r.id === selected;
        return (
          <Group key={r.id} name="relation" onClick={() => onSelect(r.id)} onTap={() => onSelect(r.id)}>
            <Arrow
              points={[p.x, p.y, q.x, q.y]}
              stroke={isSel ? '#b42318' : '#1f3a5f'}
              fill={isSel ? '#b42318' : '#1f3a5f'}
              strokeWidth={isSel ? 4 : 2.5}
              pointerLength={12}
              pointerWidth={12}
              hitStrokeWidth={16}
              perfectDrawEnabled={false}
            />
            {r.label && (
              <Label x={(p.x + q.x) / 2} y={(p.y + q.y) / 2}>
                <Tag fill="#ffffff" stroke="#1f3a5f" cornerRadius={4} pointerDirection="down" pointerWidth={8} pointerHeight={6} />
                <Text text={r.label} fontSize={13} padding={4} fill="#1f3a5f" />
              </Label>
            )}
          </Group>
        );
      })}
    </Layer>
  );
}

export const RelationLayer = memo(RelationLayerImpl);
