import { useState } from 'react';
import type { DiffBlock } from '../api/model.ts';

type Row = { kind: 'block'; block: DiffBlock; index: number } | { kind: 'same-run'; blocks: DiffBlock[]; start: number };

/** Consecutive unchanged blocks become one collapsible run. */
function rowsOf(blocks: DiffBlock[]): Row[] {
  const rows: Row[] = [];
  blocks.forEach((block, index) => {
    const last = rows[rows.length - 1];
    if (block.op !== 'same') rows.push({ kind: 'block', block, index });
    else if (last?.kind === 'same-run') last.blocks.push(block);
    else rows.push({ kind: 'same-run', blocks: [block], start: index });
  });
  return rows;
}

/**
 * A readable diff: added blocks green, removed blocks red and struck, changed blocks with word-level
 * `<ins>`/`<del>`, unchanged blocks folded away. Blocks are Markdown shown as text, never as HTML.
 */
export function DiffView({ blocks }: { blocks: DiffBlock[] }) {
  const [openRuns, setOpenRuns] = useState<ReadonlySet<number>>(() => new Set());
  const changes = blocks.filter((b) => b.op !== 'same').length;

  if (changes === 0) {
    return (
      <p className="muted" data-testid="diff-empty">
        No differences in the text between these revisions.
      </p>
    );
  }

  return (
    <div className="diff" data-testid="diff">
      {rowsOf(blocks).map((row) => {
        if (row.kind === 'block') return <DiffBlockView key={row.index} block={row.block} />;
        if (openRuns.has(row.start)) {
          return row.blocks.map((block, i) => <DiffBlockView key={row.start + i} block={block} />);
        }
        const n = row.blocks.length;
        return (
          <button
            key={row.start}
            type="button"
            className="diff-fold"
            data-testid="diff-fold"
            onClick={() => setOpenRuns((open) => new Set(open).add(row.start))}
          >
            … {n} unchanged {n === 1 ? 'block' : 'blocks'}
          </button>
        );
      })}
    </div>
  );
}

function DiffBlockView({ block }: { block: DiffBlock }) {
  switch (block.op) {
    case 'same':
      return (
        <div className="diff-block diff-same" data-op="same">
          {block.after}
        </div>
      );
    case 'added':
      return (
        <div className="diff-block diff-added" data-op="added">
          <span className="visually-hidden">Added: </span>
          <ins>{block.after}</ins>
        </div>
      );
    case 'removed':
      return (
        <div className="diff-block diff-removed" data-op="removed">
          <span className="visually-hidden">Removed: </span>
          <del>{block.before}</del>
        </div>
      );
    case 'changed':
      return (
        <div className="diff-block diff-changed" data-op="changed">
          <span className="visually-hidden">Changed: </span>
          {block.words.map((word, i) =>
            word.op === 'added' ? (
              <ins key={i}>{word.text}</ins>
            ) : word.op === 'removed' ? (
              <del key={i}>{word.text}</del>
            ) : (
              <span key={i}>{word.text}</span>
            ),
          )}
        </div>
      );
  }
}
