import { useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { PublicUser } from '../api/model.ts';
import { initials } from '../editor/user-color.ts';
import { COMMENT_MAX } from './comment-limits.ts';
import { mentionQueryAt } from './comment-markdown.ts';

const MAX_SHOWN = 6;

/** People whose name or handle holds `query` (case-insensitive), handles starting with it first. */
export function matchPeople(people: readonly PublicUser[], query: string, max = MAX_SHOWN): PublicUser[] {
  const q = query.toLowerCase();
  return people
    .filter((u) => u.handle.toLowerCase().includes(q) || u.name.toLowerCase().includes(q))
    .sort((a, b) => Number(!a.handle.startsWith(q)) - Number(!b.handle.startsWith(q)) || a.name.localeCompare(b.name))
    .slice(0, max);
}

/**
 * A comment's text box: plain text with the Markdown subset, and "@" + a few letters offering the
 * workspace's people (arrows to choose, Enter or Tab to take one, Escape to close). Ctrl/Cmd+Enter
 * submits, Escape (with no list open) cancels.
 */
export function CommentBox({
  value,
  onChange,
  onSubmit,
  onCancel,
  people,
  label,
  placeholder,
  autoFocus,
  disabled,
  testId,
}: {
  value: string;
  onChange: (value: string) => void;
  onSubmit: () => void;
  onCancel?: () => void;
  /** Who can be mentioned. */
  people: readonly PublicUser[];
  label: string;
  placeholder?: string;
  autoFocus?: boolean;
  disabled?: boolean;
  testId: string;
}) {
  const listId = useId();
  const textarea = useRef<HTMLTextAreaElement>(null);
  const [caret, setCaret] = useState<number | null>(null);
  const [highlighted, setHighlighted] = useState(0);
  /** The `@` whose list was closed with Escape (it stays closed until another one is typed). */
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  /** Where the caret goes once a chosen mention is in the text. */
  const [caretTarget, setCaretTarget] = useState<number | null>(null);

  const query = caret === null ? null : mentionQueryAt(value, caret);
  const typed = query?.query ?? null;
  const matches = useMemo(() => (typed === null ? [] : matchPeople(people, typed)), [people, typed]);
  // A handle typed out in full (the one match) needs no list: it would only cover what is below.
  const complete = matches.length === 1 && matches[0]!.handle === typed;
  const open = query !== null && matches.length > 0 && !complete && dismissedAt !== query.at;
  const active = open ? Math.min(highlighted, matches.length - 1) : -1;

  // Put the caret behind a chosen mention once React has written the new text.
  useLayoutEffect(() => {
    if (caretTarget === null || !textarea.current) return;
    textarea.current.setSelectionRange(caretTarget, caretTarget);
    setCaret(caretTarget);
    setCaretTarget(null);
  }, [caretTarget]);

  function trackCaret() {
    const el = textarea.current;
    if (!el) return;
    setCaret(el.selectionStart === el.selectionEnd ? el.selectionStart : null);
  }

  function choose(person: PublicUser) {
    if (!query || caret === null) return;
    const inserted = `@${person.handle} `;
    const rest = value.slice(caret).replace(/^\s+/, '');
    onChange(value.slice(0, query.at) + inserted + rest);
    setCaretTarget(query.at + inserted.length);
    setHighlighted(0);
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (open) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setHighlighted((active + step + matches.length) % matches.length);
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        const person = matches[active];
        if (person && !(event.key === 'Enter' && (event.ctrlKey || event.metaKey))) {
          event.preventDefault();
          choose(person);
          return;
        }
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        setDismissedAt(query.at);
        return;
      }
    }
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      onSubmit();
    } else if (event.key === 'Escape' && onCancel) {
      event.preventDefault();
      onCancel();
    }
  }

  return (
    <div className="comment-box">
      <textarea
        ref={textarea}
        className="comment-input"
        aria-label={label}
        placeholder={placeholder}
        value={value}
        rows={value.includes('\n') ? 4 : 2}
        maxLength={COMMENT_MAX}
        autoFocus={autoFocus}
        disabled={disabled}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={open ? listId : undefined}
        aria-activedescendant={open ? `${listId}-${active}` : undefined}
        data-testid={testId}
        onChange={(event) => {
          onChange(event.target.value);
          setCaret(event.target.selectionStart === event.target.selectionEnd ? event.target.selectionStart : null);
          setHighlighted(0);
        }}
        onSelect={trackCaret}
        onClick={trackCaret}
        onKeyUp={(event) => {
          if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') trackCaret();
        }}
        onBlur={() => setCaret(null)}
        onKeyDown={onKeyDown}
      />
      {open && (
        <ul className="comment-mentions" id={listId} role="listbox" aria-label="People" data-testid="comment-mention-menu">
          {matches.map((person, index) => (
            <li
              key={person.id}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === active}
              className="typeahead-item"
              data-handle={person.handle}
              onMouseEnter={() => setHighlighted(index)}
              onMouseDown={(event) => {
                event.preventDefault(); // keep the focus (and the caret) in the text box
                choose(person);
              }}
            >
              <span className="typeahead-icon" aria-hidden="true">
                {initials(person.name)}
              </span>
              <span className="typeahead-label">{person.name}</span>
              <span className="typeahead-hint muted">@{person.handle}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
