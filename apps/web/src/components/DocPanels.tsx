import { useEffect, useState, type ReactNode } from 'react';
import { apiUrls } from '../api/http.ts';
import type { Doc } from '../api/model.ts';
import type { RevisionPair } from './brief/diff-link.ts';
import { DecisionPanel } from './DecisionPanel.tsx';
import { HandoffPanel } from './handoff/HandoffPanel.tsx';
import { HistoryPanel } from './HistoryPanel.tsx';
import { WatchToggle } from './WatchToggle.tsx';

type Panel = 'decision' | 'handoff' | 'history';

/**
 * Everything around a document's text: watch and export, the decision record (for decisions) and
 * the history with diffs and restore. Stacked disclosure panels: the decision open by default,
 * the history loaded only when opened.
 */
export function DocPanels({
  doc,
  role,
  diff,
}: {
  doc: Doc;
  role: 'viewer' | 'editor' | 'admin' | null;
  /** A diff asked for in the URL (`?diff=a..b`): the history opens on it. */
  diff?: RevisionPair | null;
}) {
  const canEdit = role === 'editor' || role === 'admin';
  const isDecision = doc.kind === 'decision';
  const isHandoff = doc.kind === 'handoff';
  const [open, setOpen] = useState<ReadonlySet<Panel>>(() => new Set(isDecision ? ['decision'] : isHandoff ? ['handoff'] : []));

  const diffKey = diff ? `${diff.from}..${diff.to}` : null;
  useEffect(() => {
    if (diffKey) setOpen((current) => (current.has('history') ? current : new Set(current).add('history')));
  }, [diffKey]);

  function toggle(panel: Panel) {
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(panel)) next.delete(panel);
      else next.add(panel);
      return next;
    });
  }

  return (
    <section className="doc-panels" aria-label="About this document" data-testid="doc-panels" data-doc-id={doc.id}>
      <div className="doc-actions">
        <WatchToggle kind="doc" id={doc.id} />
        <a className="button-link small" href={apiUrls.docExport(doc.id)} download data-testid="export-md">
          Export to Markdown
        </a>
        {!canEdit && role === 'viewer' && <span className="muted small-text">You can read this space, not change it.</span>}
      </div>

      {isDecision && (
        <Disclosure
          id={`decision-${doc.id}`}
          title="Decision"
          open={open.has('decision')}
          onToggle={() => toggle('decision')}
          testId="decision-toggle"
        >
          <DecisionPanel doc={doc} canEdit={canEdit} />
        </Disclosure>
      )}

      {isHandoff && (
        <Disclosure id={`handoff-${doc.id}`} title="Handoff" open={open.has('handoff')} onToggle={() => toggle('handoff')} testId="handoff-toggle">
          <HandoffPanel doc={doc} canEdit={canEdit} />
        </Disclosure>
      )}

      <Disclosure
        id={`history-${doc.id}`}
        title="History"
        hint={`${doc.revision} ${doc.revision === 1 ? 'revision' : 'revisions'}`}
        open={open.has('history')}
        onToggle={() => toggle('history')}
        testId="history-toggle"
      >
        <HistoryPanel doc={doc} canEdit={canEdit} requested={diff} />
      </Disclosure>
    </section>
  );
}

function Disclosure({
  id,
  title,
  hint,
  open,
  onToggle,
  testId,
  children,
}: {
  id: string;
  title: string;
  hint?: string;
  open: boolean;
  onToggle: () => void;
  testId: string;
  children: ReactNode;
}) {
  const bodyId = `${id}-body`;
  return (
    <div className="panel" data-open={open}>
      <h3 className="panel-head">
        <button type="button" aria-expanded={open} aria-controls={bodyId} onClick={onToggle} data-testid={testId}>
          <span className="caret" aria-hidden="true">
            {open ? '▾' : '▸'}
          </span>
          {title}
          {hint && <span className="muted small-text"> · {hint}</span>}
        </button>
      </h3>
      {open && (
        <div className="panel-body" id={bodyId}>
          {children}
        </div>
      )}
    </div>
  );
}
