import type { Ref } from 'react';
import type { PublicUser, Revision } from '../api/model.ts';
import type { useDiff } from '../api/queries.ts';
import { errorMessage } from '../session.tsx';
import { DiffView } from './DiffView.tsx';
import { Modal } from './Modal.tsx';
import { nameOf } from './use-users.ts';

/** The changes between the two revisions compared, with a wide view in a dialog. */
export function DiffSection({
  sectionRef,
  pair,
  diff,
  fromRev,
  toRev,
  users,
  wide,
  setWide,
}: {
  sectionRef: Ref<HTMLElement>;
  pair: { from: number; to: number };
  diff: ReturnType<typeof useDiff>;
  fromRev: Revision | undefined;
  toRev: Revision | undefined;
  users: Map<string, PublicUser>;
  wide: boolean;
  setWide: (wide: boolean) => void;
}) {
  return (
    <section
      ref={sectionRef}
      className="diff-section"
      aria-live="polite"
      data-testid="diff-section"
      data-from={pair.from}
      data-to={pair.to}
    >
      <h4>
        Changes from r{pair.from} to r{pair.to}
        {pair.from > pair.to && <span className="muted"> (going back in time)</span>}
      </h4>
      {toRev && pair.to === pair.from + 1 && (
        <p className="muted small-text">
          {toRev.authors.map((id) => nameOf(users, id)).join(', ') || 'Someone'}
          {toRev.message ? `: “${toRev.message}”` : ''}
        </p>
      )}
      {fromRev && toRev && fromRev.title !== toRev.title && (
        <p className="diff-title" data-testid="diff-title">
          Title: <del>{fromRev.title}</del> → <ins>{toRev.title}</ins>
        </p>
      )}
      {pair.from === pair.to && <p className="muted">Pick two different revisions to compare.</p>}
      {pair.from !== pair.to && diff.isPending && <p className="muted">Comparing…</p>}
      {pair.from !== pair.to && diff.isError && (
        <p role="alert" className="error">
          {errorMessage(diff.error)}
        </p>
      )}
      {pair.from !== pair.to && diff.isSuccess && (
        <>
          <DiffView key={`${pair.from}-${pair.to}`} blocks={diff.data.blocks} />
          <button type="button" className="link-button small-text wide-view" onClick={() => setWide(true)} data-testid="diff-wide">
            Open in a wide view
          </button>
          {wide && (
            <Modal title={`Changes from r${pair.from} to r${pair.to}`} onClose={() => setWide(false)} wide testId="diff-dialog">
              <DiffView blocks={diff.data.blocks} />
            </Modal>
          )}
        </>
      )}
    </section>
  );
}
