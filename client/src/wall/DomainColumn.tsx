/** A domain column: tinted background, bilingual-aware title, and a "+" button to add a note. */
import { memo } from 'react';
import { Group, Rect, Text, Circle } from 'react-konva';
import { LAYOUT } from '@maillage/shared';
import { FONT_FAMILY, type Rect as R } from './geometry.ts';

export interface DomainColumnProps {
  id: string;
  title: string;
  color: string;
  rect: R;
  count: number;
  canAdd: boolean;
  addLabel: string;
  large?: boolean;
  onAdd(domainId: string): void;
}

function DomainColumnImpl({ id, title, color, rect, count, canAdd, large, onAdd }: DomainColumnProps) {
  return (
    <Group x={rect.x} y={rect.y} name="column" id={`column-${id}`}>
      <Rect width={rect.width} height={rect.height} fill={color} cornerRadius={8} listening={false} />
      <Text
        x={LAYOUT.columnPadding}
        y={12}
        width={rect.width - LAYOUT.columnPadding * 2 - (canAdd ? 40 : 0)}
        // Two lines at most, ending above the count line: a long title used to run over the count.
        height={LAYOUT.headerHeight - 32}
        lineHeight={1.15}
        text={title}
        fontSize={large ? 20 : 17}
        fontStyle="bold"
        fontFamily={FONT_FAMILY}
        fill="#1f2937"
        wrap="word"
        ellipsis
        listening={false}
      />
      <Text
        x={LAYOUT.columnPadding}
        y={LAYOUT.headerHeight - 18}
        text={String(count)}
        fontSize={12}
        fontFamily={FONT_FAMILY}
        fill="#4b5563"
        listening={false}
      />
      {canAdd && (
        <Group
          x={rect.width - 34}
          y={30}
          name="add-note"
          onClick={() => onAdd(id)}
          onTap={() => onAdd(id)}
          onMouseEnter={(e) => {
            const c = e.target.getStage()?.container();
            if (c) c.style.cursor = 'pointer';
          }}
          onMouseLeave={(e) => {
            const c = e.target.getStage()?.container();
            if (c) c.style.cursor = '';
          }}
        >
          <Circle radius={16} fill="#1f3a5f" />
          <Text x={-16} y={-11} width={32} align="center" text="+" fontSize={22} fill="#fff" listening={false} />
        </Group>
      )}
    </Group>
  );
}

export const DomainColumn = memo(DomainColumnImpl);
