import { Fragment, type ReactNode } from 'react';
import type { PublicUser } from '../api/model.ts';
import { parseComment, type Inline } from './comment-markdown.ts';

/**
 * A comment's Markdown subset as React elements (no HTML is ever injected). `@handle` of a
 * workspace member is shown as a mention with the person's name on hover; other `@words` as typed.
 */
export function CommentMarkdown({ markdown, usersByHandle }: { markdown: string; usersByHandle: ReadonlyMap<string, PublicUser> }) {
  return (
    <div className="comment-markdown">
      {parseComment(markdown).map((paragraph, i) => (
        <p key={i}>{renderInline(paragraph, usersByHandle)}</p>
      ))}
    </div>
  );
}

function renderText(text: string): ReactNode {
  if (!text.includes('\n')) return text;
  return text.split('\n').map((line, i) => (
    <Fragment key={i}>
      {i > 0 && <br />}
      {line}
    </Fragment>
  ));
}

function renderInline(nodes: Inline[], users: ReadonlyMap<string, PublicUser>): ReactNode[] {
  return nodes.map((node, i) => {
    switch (node.type) {
      case 'text':
        return <Fragment key={i}>{renderText(node.text)}</Fragment>;
      case 'code':
        return <code key={i}>{node.text}</code>;
      case 'strong':
        return <strong key={i}>{renderInline(node.children, users)}</strong>;
      case 'em':
        return <em key={i}>{renderInline(node.children, users)}</em>;
      case 'link':
        return (
          <a key={i} href={node.href} target="_blank" rel="noopener noreferrer nofollow">
            {renderInline(node.children, users)}
          </a>
        );
      case 'mention': {
        const user = users.get(node.handle);
        if (!user) return `@${node.handle}`;
        return (
          <span key={i} className="mention" data-mention={node.handle} title={user.name}>
            @{node.handle}
          </span>
        );
      }
    }
  });
}
