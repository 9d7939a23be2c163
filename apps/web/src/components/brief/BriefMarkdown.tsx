import type { ReactNode } from 'react';
import { Link } from '../../router.tsx';
import { parseBlocks, parseInline, type Block, type Inline } from './brief-markdown.ts';

/**
 * A brief's Markdown as React elements (no HTML is ever injected). Headings start one level below
 * the page's own: `#` becomes an h2.
 */
export function BriefMarkdown({ markdown, testId }: { markdown: string; testId?: string }) {
  return (
    <div className="brief-markdown" data-testid={testId}>
      {parseBlocks(markdown).map((block, i) => renderBlock(block, i))}
    </div>
  );
}

/** One line of Markdown (an item's summary): emphasis, code and document links only. */
export function BriefInline({ text }: { text: string }) {
  return <>{renderInline(parseInline(text))}</>;
}

function renderBlock(block: Block, key: number): ReactNode {
  switch (block.type) {
    case 'heading': {
      const Tag = (['h2', 'h3', 'h4', 'h5', 'h6', 'h6'] as const)[block.level - 1]!;
      return <Tag key={key}>{renderInline(block.children)}</Tag>;
    }
    case 'paragraph':
      return <p key={key}>{renderInline(block.children)}</p>;
    case 'quote':
      return (
        <blockquote key={key}>
          <p>{renderInline(block.children)}</p>
        </blockquote>
      );
    case 'list': {
      const items = block.items.map((item, i) => <li key={i}>{renderInline(item)}</li>);
      return block.ordered ? <ol key={key}>{items}</ol> : <ul key={key}>{items}</ul>;
    }
    case 'code':
      return (
        <pre key={key}>
          <code>{block.text}</code>
        </pre>
      );
    case 'rule':
      return <hr key={key} />;
  }
}

function renderInline(nodes: Inline[]): ReactNode[] {
  return nodes.map((node, i) => {
    switch (node.type) {
      case 'text':
        return node.text;
      case 'code':
        return <code key={i}>{node.text}</code>;
      case 'strong':
        return <strong key={i}>{renderInline(node.children)}</strong>;
      case 'em':
        return <em key={i}>{renderInline(node.children)}</em>;
      case 'link':
        return (
          <Link key={i} to={node.href}>
            {renderInline(node.children)}
          </Link>
        );
      case 'mention': // briefs parse no mentions; shown as typed
        return `@${node.handle}`;
    }
  });
}
