import { useEffect, useRef, useState, type ClipboardEvent, type KeyboardEvent } from 'react';
import type { Doc } from '../api/model.ts';
import { usePatchDoc } from '../api/queries.ts';
import { describeError } from '../components/describe-error.ts';

const TITLE_MAX = 300;

/**
 * The document's title: the page heading, editable in place for editors. A rename is saved when
 * the title loses focus or on Enter (each rename is one revision, so not on every keystroke).
 * An emptied title goes back to the saved one.
 */
export function DocTitle({
  doc,
  editable,
  onDone,
}: {
  doc: Doc;
  editable: boolean;
  /** Enter: the caller moves the caret into the body. */
  onDone?: () => void;
}) {
  const ref = useRef<HTMLHeadingElement>(null);
  const saved = useRef(doc.title);
  const saving = useRef<Promise<void> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  // The renamed document replaces the cached one; the tree and lists that show it reload.
  const patchDoc = usePatchDoc();

  // Show the saved title unless the person is typing in it.
  useEffect(() => {
    saved.current = doc.title;
    const el = ref.current;
    if (el && document.activeElement !== el) el.textContent = doc.title;
  }, [doc.title]);

  /** Queues a save of what the title shows now; saves run one after another, in order. */
  function save(): Promise<void> {
    const next = (saving.current ?? Promise.resolve()).then(saveNow);
    saving.current = next;
    return next;
  }

  async function saveNow() {
    const el = ref.current;
    if (!el) return;
    const title = (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, TITLE_MAX);
    if (title === '') {
      el.textContent = saved.current;
      return;
    }
    if (title === saved.current) return;
    setPending(true);
    setError(null);
    try {
      const updated = await patchDoc.mutateAsync({ id: doc.id, patch: { title } });
      saved.current = updated.title;
      if (document.activeElement !== el) el.textContent = updated.title;
    } catch (err) {
      setError(describeError(err));
    } finally {
      setPending(false);
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLHeadingElement>) {
    if (event.key === 'Enter') {
      event.preventDefault();
      void save();
      onDone?.();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      if (ref.current) ref.current.textContent = saved.current;
      ref.current?.blur();
    }
  }

  // Paste as one line of plain text.
  function onPaste(event: ClipboardEvent<HTMLHeadingElement>) {
    event.preventDefault();
    const text = event.clipboardData.getData('text/plain').replace(/\s+/g, ' ');
    document.execCommand('insertText', false, text);
  }

  return (
    <div className="doc-title-wrap">
      <h1
        ref={ref}
        className="doc-title"
        data-testid="doc-title"
        data-placeholder="Untitled"
        contentEditable={editable ? 'plaintext-only' : false}
        suppressContentEditableWarning
        title={editable ? 'Rename: type, then Enter' : undefined}
        aria-busy={pending || undefined}
        spellCheck={editable}
        onKeyDown={editable ? onKeyDown : undefined}
        onPaste={editable ? onPaste : undefined}
        onBlur={editable ? () => void save() : undefined}
      />
      {error && (
        <p className="error" role="alert" data-testid="doc-title-error">
          Could not rename: {error}
        </p>
      )}
    </div>
  );
}
