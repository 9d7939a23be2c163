import { useId, useState, type KeyboardEvent } from 'react';
import { ApiError } from '../api/http.ts';
import type { PublicUser, Thread } from '../api/model.ts';
import { useCreateThread } from '../api/queries.ts';
import { errorMessage } from '../session.tsx';
import { CommentBox, matchPeople } from './CommentBox.tsx';
import type { CommentsController, Draft } from './comments-controller.ts';
import type { People } from './use-people.ts';

/** Why a new thread was refused, in words for the person who wrote it. */
function describeCreateError(err: unknown): string {
  if (err instanceof ApiError && err.status === 422 && (err.details as { field?: unknown } | undefined)?.field === 'anchor.relative') {
    return 'The server does not have the selected text yet (it may still be saving, or it was just changed). Select it again and retry.';
  }
  return errorMessage(err);
}

/**
 * Starting a thread: the text it is about (or the whole document), the first comment, and whom
 * it is a question for (`ask`: they see it under "Waiting on you" until they reply).
 */
export function ThreadComposer({
  docId,
  draft,
  controller,
  people,
  meId,
}: {
  docId: string;
  draft: Draft;
  controller: CommentsController;
  people: People;
  meId: string;
}) {
  const [text, setText] = useState('');
  const [ask, setAsk] = useState<PublicUser[]>([]);
  const create = useCreateThread(docId);
  const others = people.list.filter((u) => u.id !== meId);

  function submit() {
    if (!text.trim() || create.isPending) return;
    create.mutate(
      {
        markdown: text,
        ...(draft.anchor ? { anchor: { relative: draft.anchor.relative } } : {}),
        ...(ask.length ? { ask: ask.map((u) => u.id) } : {}),
      },
      {
        onSuccess: (thread: Thread) => {
          controller.cancelDraft();
          controller.select(thread.id);
        },
      },
    );
  }

  return (
    <form
      className="thread-composer"
      data-testid="thread-composer"
      aria-label="New comment"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      {draft.anchor ? (
        <q className="thread-quote" data-testid="composer-quote">
          {draft.anchor.quote}
        </q>
      ) : (
        <p className="muted small-text" data-testid="composer-whole-document">
          On the whole document. (To comment on a passage, select it first.)
        </p>
      )}
      {draft.anchor?.trimmed && (
        <p className="small-text muted" data-testid="composer-trimmed">
          A comment is anchored within one paragraph: this one is on the first paragraph of your selection.
        </p>
      )}
      <CommentBox
        value={text}
        onChange={setText}
        onSubmit={submit}
        onCancel={() => controller.cancelDraft()}
        people={others}
        label="Comment"
        placeholder="Comment — @ to mention someone"
        autoFocus
        disabled={create.isPending}
        testId="composer-input"
      />
      <AskPicker people={others} chosen={ask} onChange={setAsk} />
      <div className="row">
        <button type="submit" className="primary small" data-testid="composer-submit" disabled={create.isPending || !text.trim()}>
          {ask.length ? 'Ask' : 'Comment'}
        </button>
        <button type="button" className="small" data-testid="composer-cancel" onClick={() => controller.cancelDraft()} disabled={create.isPending}>
          Cancel
        </button>
      </div>
      {create.isError && (
        <p role="alert" className="error small-text" data-testid="composer-error">
          {describeCreateError(create.error)}
        </p>
      )}
    </form>
  );
}

/** "Question for …": people picked by name or handle, shown as removable chips. */
function AskPicker({ people, chosen, onChange }: { people: readonly PublicUser[]; chosen: PublicUser[]; onChange: (next: PublicUser[]) => void }) {
  const id = useId();
  const [query, setQuery] = useState('');
  const [highlighted, setHighlighted] = useState(0);
  const candidates = query.trim() ? matchPeople(people.filter((u) => !chosen.some((c) => c.id === u.id)), query.trim().replace(/^@/, '')) : [];
  const active = Math.min(highlighted, candidates.length - 1);

  function add(person: PublicUser) {
    onChange([...chosen, person]);
    setQuery('');
    setHighlighted(0);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (candidates.length) setHighlighted((active + (event.key === 'ArrowDown' ? 1 : -1) + candidates.length) % candidates.length);
    } else if (event.key === 'Enter') {
      event.preventDefault(); // never submits the form from here
      const person = candidates[active];
      if (person) add(person);
    } else if (event.key === 'Backspace' && query === '' && chosen.length) {
      onChange(chosen.slice(0, -1));
    }
  }

  return (
    <div className="ask-picker">
      <label className="small-text" htmlFor={`${id}-input`}>
        Question for
      </label>
      <div className="ask-chips">
        {chosen.map((person) => (
          <span key={person.id} className="ask-chip" data-testid="ask-chip" data-handle={person.handle}>
            @{person.handle}
            <button type="button" className="icon-button" aria-label={`Do not ask ${person.name}`} onClick={() => onChange(chosen.filter((c) => c.id !== person.id))}>
              ×
            </button>
          </span>
        ))}
        <input
          id={`${id}-input`}
          className="ask-input"
          placeholder={chosen.length ? 'someone else…' : 'nobody in particular (type a name)'}
          value={query}
          autoComplete="off"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={candidates.length > 0}
          aria-controls={candidates.length ? `${id}-list` : undefined}
          aria-activedescendant={candidates.length ? `${id}-${active}` : undefined}
          data-testid="ask-input"
          onChange={(event) => {
            setQuery(event.target.value);
            setHighlighted(0);
          }}
          onKeyDown={onKeyDown}
        />
      </div>
      {candidates.length > 0 && (
        <ul className="comment-mentions" id={`${id}-list`} role="listbox" aria-label="People to ask" data-testid="ask-menu">
          {candidates.map((person, index) => (
            <li
              key={person.id}
              id={`${id}-${index}`}
              role="option"
              aria-selected={index === active}
              className="typeahead-item"
              data-handle={person.handle}
              onMouseEnter={() => setHighlighted(index)}
              onMouseDown={(event) => {
                event.preventDefault();
                add(person);
              }}
            >
              <span className="typeahead-label">{person.name}</span>
              <span className="typeahead-hint muted">@{person.handle}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
