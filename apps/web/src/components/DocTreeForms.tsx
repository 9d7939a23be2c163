import { useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { DocKind } from '../api/model.ts';

export function NewDocForm({
  kind,
  where,
  onCreate,
  onCancel,
}: {
  kind: DocKind;
  where: string;
  onCreate: (title: string) => Promise<void>;
  onCancel: () => void;
}) {
  const [title, setTitle] = useState(() => (kind === 'handoff' ? handoffTitle(new Date()) : ''));
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = title.trim();
    if (!value) return;
    setPending(true);
    await onCreate(value);
    setPending(false);
  }

  const what = kind === 'decision' ? 'decision record' : kind === 'handoff' ? 'handoff note' : 'page';
  return (
    <form className="tree-form" onSubmit={(e) => void submit(e)} data-testid="new-doc-form">
      <label className="visually-hidden" htmlFor={`new-doc-${where}`}>
        Title of the new {what} in {where}
      </label>
      <input
        id={`new-doc-${where}`}
        autoFocus
        required
        maxLength={300}
        value={title}
        placeholder={kind === 'decision' ? 'ADR-004: …' : kind === 'handoff' ? 'Handoff — …' : 'Page title'}
        onChange={(e) => setTitle(e.target.value)}
        onKeyDown={(e) => e.key === 'Escape' && onCancel()}
        disabled={pending}
        data-testid="new-doc-title"
      />
      <div className="row">
        <button type="submit" className="primary small" disabled={pending || !title.trim()} data-testid="new-doc-submit">
          Create {what}
        </button>
        <button type="button" className="small" onClick={onCancel} disabled={pending}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The title a new handoff note starts with: "Handoff — Tue 10 Mar". */
export function handoffTitle(day: Date): string {
  return `Handoff — ${day.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short' })}`;
}

export function RenameInput({ title, onDone, onCancel }: { title: string; onDone: (title: string) => void; onCancel: () => void }) {
  const [value, setValue] = useState(title);
  const finished = useRef(false);

  function finish(save: boolean) {
    if (finished.current) return; // Enter, then the blur that follows
    finished.current = true;
    if (save) onDone(value.trim());
    else onCancel();
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Enter') {
      event.preventDefault();
      finish(true);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      finish(false);
    }
  }

  return (
    <input
      className="tree-rename"
      aria-label={`New title for ${title || 'Untitled'} (Enter to save, Escape to cancel)`}
      autoFocus
      maxLength={300}
      value={value}
      onChange={(e) => setValue(e.target.value)}
      onKeyDown={onKeyDown}
      onBlur={() => finish(true)}
      onFocus={(e) => e.target.select()}
      data-testid="rename-input"
    />
  );
}
