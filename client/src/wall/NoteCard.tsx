/**
 * One sticky note on the canvas. Memoised: with thousands of notes, only the note whose data
 * changed re-renders. Emails are never drawn on the canvas (the projected screen shows it).
 */
import { memo } from 'react';
import { Circle, Group, Rect, Text } from 'react-konva';
import type Konva from 'konva';
import { LAYOUT, type Note } from '@maillage/shared';
import { AUTHOR_FONT_SIZE, FONT_FAMILY, NOTE_FONT_SIZE, NOTE_PADDING } from './geometry.ts';

export interface NoteCardProps {
  note: Note;
  /** Absolute wall position (column origin + note offset). */
  x: number;
  y: number;
  height: number;
  selected: boolean;
  draggable: boolean;
  /** Not yet revealed: drawn with a dashed border. */
  isPrivate?: boolean;
  /** Dot-vote count on this note, and how many of them are ours. */
  dots?: number;
  myDots?: number;
  /** Projection mode: bolder text for the shared screen. */
  large?: boolean;
  /**
   * Zoomed far out: draw grey bars where the text is. Text that small cannot be read, and it is
   * what costs most to draw when hundreds of notes are in view (docs/benchmarks.md, render).
   */
  sketch?: boolean;
  /** Cluster halo: a coloured glow around the note (dashed while only suggested). */
  halo?: { color: string; suggested: boolean } | undefined;
  onSelect(id: string): void;
  onEdit(id: string): void;
  onDragEnd(id: string, pos: { x: number; y: number }, node: Konva.Node): void;
}

function NoteCardImpl({ note, x, y, height, selected, draggable, isPrivate, dots = 0, myDots = 0, large, sketch, halo, onSelect, onEdit, onDragEnd }: NoteCardProps) {
  const more = note.coauthors?.length ? ` +${note.coauthors.length}` : '';
  const byline = (note.org ? `${note.author} · ${note.org}` : note.author) + more;
  return (
    <Group
      x={x}
      y={y}
      name="note"
      id={`note-${note.id}`}
      draggable={draggable}
      onMouseDown={() => onSelect(note.id)}
      onTap={() => onSelect(note.id)}
      onDblClick={() => onEdit(note.id)}
      onDblTap={() => onEdit(note.id)}
      onDragStart={(e) => {
        e.target.moveToTop();
        onSelect(note.id);
      }}
      onDragEnd={(e) => onDragEnd(note.id, { x: e.target.x(), y: e.target.y() }, e.target)}
    >
      {halo && (
        <Rect
          x={-7}
          y={-7}
          width={LAYOUT.noteWidth + 14}
          height={height + 14}
          cornerRadius={9}
          stroke={halo.color}
          strokeWidth={6}
          dash={halo.suggested ? [10, 6] : undefined}
          listening={false}
          perfectDrawEnabled={false}
        />
      )}
      <Rect
        width={LAYOUT.noteWidth}
        height={height}
        fill={note.color}
        cornerRadius={4}
        stroke={selected ? '#1f3a5f' : isPrivate ? '#6b21a8' : 'rgba(0,0,0,0.18)'}
        strokeWidth={selected ? 3 : isPrivate ? 2 : 1}
        dash={isPrivate ? [8, 5] : undefined}
        perfectDrawEnabled={false}
      />
      {sketch ? (
        Array.from({ length: Math.max(1, Math.min(5, Math.floor((height - 2 * NOTE_PADDING - 20) / 19))) }, (_, i) => (
          <Rect
            key={i}
            x={NOTE_PADDING}
            y={NOTE_PADDING + 4 + i * 19}
            width={(LAYOUT.noteWidth - 2 * NOTE_PADDING) * (i % 2 ? 0.7 : 0.95)}
            height={9}
            fill="rgba(0,0,0,0.28)"
            listening={false}
            perfectDrawEnabled={false}
          />
        ))
      ) : (
        <>
        <Text
          x={NOTE_PADDING}
          y={NOTE_PADDING}
          width={LAYOUT.noteWidth - 2 * NOTE_PADDING}
          height={height - 2 * NOTE_PADDING - 20}
          text={note.text}
          fontSize={NOTE_FONT_SIZE}
          fontFamily={FONT_FAMILY}
          fontStyle={large ? 'bold' : 'normal'}
          lineHeight={1.25}
          fill="#1b1b1b"
          wrap="word"
          ellipsis
          listening={false}
          perfectDrawEnabled={false}
        />
        <Text
          x={NOTE_PADDING}
          y={height - NOTE_PADDING - AUTHOR_FONT_SIZE}
          width={LAYOUT.noteWidth - 2 * NOTE_PADDING}
          text={byline}
          fontSize={AUTHOR_FONT_SIZE}
          fontFamily={FONT_FAMILY}
          fill="#3d3d3d"
          wrap="none"
          ellipsis
          listening={false}
          perfectDrawEnabled={false}
        />
        </>
      )}
      {dots > 0 && (
        <Group x={LAYOUT.noteWidth - 14} y={-10} listening={false}>
          <Circle radius={15} fill={myDots > 0 ? '#b42318' : '#1f3a5f'} stroke="#fff" strokeWidth={2} />
          <Text x={-15} y={-8} width={30} align="center" text={String(dots)} fontSize={15} fontStyle="bold" fill="#fff" />
        </Group>
      )}
    </Group>
  );
}

export const NoteCard = memo(NoteCardImpl);
