import { useMemo, useState } from 'react';
import { apiUrls } from '../api/http.ts';
import type { Brief } from '../api/model.ts';
import { useAcknowledgeBrief, useBuildBrief, useLatestBrief } from '../api/queries.ts';
import { BriefItems } from '../components/brief/BriefItems.tsx';
import { BriefMarkdown } from '../components/brief/BriefMarkdown.tsx';
import { NextBriefLine } from '../components/brief/NextBriefLine.tsx';
import { formatTime } from '../components/format-time.ts';
import { useUsers } from '../components/use-users.ts';
import { errorMessage, useSession } from '../session.tsx';
import { useSpaceSelection } from './Layout.tsx';

type State =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'none' }
  | { state: 'brief'; brief: Brief; acknowledged: boolean };

type Action = { kind: 'build' | 'ack'; pending: boolean; error: string | null } | null;

/**
 * "What changed for you since you last looked": the reader's latest brief, its items grouped by why
 * they matter, links to the exact diffs, and "I'm caught up".
 */
export function CatchUpPage() {
  const { user } = useSession();
  // Asked again on every visit; the sidebar's badge reads the same answer.
  const latest = useLatestBrief({ refetchOnMount: 'always' });
  const buildBrief = useBuildBrief();
  const acknowledgeBrief = useAcknowledgeBrief();
  const [action, setAction] = useState<Action>(null);

  // "No brief yet" from the cache is not trusted until this visit's answer is in: the brief may
  // have been built since (by the scheduler, or another tab), and the page would offer to build one.
  const state: State =
    latest.data === null && latest.isFetchedAfterMount
      ? { state: 'none' }
      : latest.data
        ? { state: 'brief', brief: latest.data, acknowledged: Boolean(latest.data.acknowledgedAt) }
        : latest.isError && !latest.isFetching
          ? { state: 'error', message: errorMessage(latest.error) }
          : { state: 'loading' };

  async function build() {
    setAction({ kind: 'build', pending: true, error: null });
    try {
      await buildBrief.mutateAsync();
      setAction(null);
    } catch (err) {
      setAction({ kind: 'build', pending: false, error: errorMessage(err) });
    }
  }

  async function acknowledge(brief: Brief) {
    setAction({ kind: 'ack', pending: true, error: null });
    try {
      await acknowledgeBrief.mutateAsync(brief.id);
      setAction(null);
      window.scrollTo({ top: 0 });
    } catch (err) {
      setAction({ kind: 'ack', pending: false, error: errorMessage(err) });
    }
  }

  const pending = action?.pending === true;
  const buildError = action?.kind === 'build' && action.error;

  return (
    <section className="page catch-up" data-testid="catch-up" data-state={state.state === 'brief' && state.acknowledged ? 'caught-up' : state.state}>
      <h1>Catch up</h1>
      <NextBriefLine />

      {state.state === 'loading' && <p className="muted">Loading your brief…</p>}

      {state.state === 'error' && (
        <div role="alert" className="brief-empty">
          <p className="error">Your brief could not be loaded: {state.message}</p>
          <button type="button" onClick={() => void latest.refetch()}>
            Try again
          </button>
        </div>
      )}

      {state.state === 'none' && (
        <div className="brief-empty" data-testid="brief-none">
          <p>
            <strong>No brief yet.</strong>
          </p>
          <p className="muted">
            On each working day at {hourLabel(user.briefHour)} your time, Handoff writes you a short brief of what changed in
            the documents you can read while you were away, delivered when your working day starts (see above). You don't
            have to wait for it.
          </p>
          <button type="button" className="primary" onClick={() => void build()} disabled={pending} data-testid="brief-build">
            {pending ? 'Building your brief…' : 'Build my brief now'}
          </button>
          {buildError && (
            <p role="alert" className="error">
              {buildError}
            </p>
          )}
        </div>
      )}

      {state.state === 'brief' && (
        <BriefView
          brief={state.brief}
          acknowledged={state.acknowledged}
          timeZone={user.timezone}
          action={action}
          onAcknowledge={() => void acknowledge(state.brief)}
          onBuild={() => void build()}
        />
      )}
    </section>
  );
}

function BriefView({
  brief,
  acknowledged,
  timeZone,
  action,
  onAcknowledge,
  onBuild,
}: {
  brief: Brief;
  acknowledged: boolean;
  timeZone: string;
  action: Action;
  onAcknowledge: () => void;
  onBuild: () => void;
}) {
  const users = useUsers();
  const { spaces } = useSpaceSelection();
  const spaceNames = useMemo(() => new Map((spaces ?? []).map((s) => [s.id, s.name])), [spaces]);
  const [showRead, setShowRead] = useState(false);
  const minutes = Math.max(1, Math.round(brief.readingSeconds / 60));
  const count = brief.items.length;
  const pending = action?.pending === true;

  const header = (
    <header className="brief-head" data-testid="brief-head">
      <p className="brief-since" data-testid="brief-since">
        What changed since <time dateTime={brief.since}>{formatTime(brief.since, timeZone)}</time>
        <span className="muted"> ({timeZone.replaceAll('_', ' ')} time)</span>
      </p>
      <p className="brief-facts muted small-text">
        <span data-testid="brief-reading">
          {count === 0 ? 'Nothing to read' : `about ${minutes} min`}
        </span>
        {' · '}
        <span data-testid="brief-count">
          {count} {count === 1 ? 'document' : 'documents'}
        </span>
        {' · '}
        <span data-testid="brief-writer" data-writer={brief.writer}>
          {brief.writer === 'llm'
            ? 'Summarized by AI (every sentence checked against the documents)'
            : 'Written by the extractive writer'}
        </span>
      </p>
    </header>
  );

  const body = (
    <>
      {count === 0 ? (
        <p className="brief-empty muted" data-testid="brief-nothing">
          Nothing changed for you in this time. Quiet night.
        </p>
      ) : (
        <BriefItems items={brief.items} users={users} spaceNames={spaceNames} />
      )}
      {brief.omitted > 0 && (
        <p className="brief-omitted muted" data-testid="brief-omitted">
          {brief.omitted} more {brief.omitted === 1 ? 'change' : 'changes'} not shown, to keep this brief short.
        </p>
      )}
      {brief.markdown.trim() && (
        <details className="brief-full" data-testid="brief-full">
          <summary>Full brief</summary>
          <BriefMarkdown markdown={brief.markdown} testId="brief-markdown" />
          <p className="small-text">
            <a href={apiUrls.briefHtml(brief.id)} target="_blank" rel="noopener">
              Open the email version
            </a>
          </p>
        </details>
      )}
    </>
  );

  if (acknowledged) {
    return (
      <>
        <div className="brief-caught-up" role="status" data-testid="brief-caught-up">
          <p className="brief-caught-up-title">
            <span aria-hidden="true">✓</span> You're caught up.
          </p>
          <p className="muted">
            Changes made since wait for your next brief (when it arrives is shown above), or you can check now.
          </p>
          <div className="row">
            <button type="button" onClick={onBuild} disabled={pending} data-testid="brief-rebuild">
              {pending && action?.kind === 'build' ? 'Checking…' : 'Check for new changes'}
            </button>
            <button
              type="button"
              className="link-button"
              aria-expanded={showRead}
              onClick={() => setShowRead((v) => !v)}
              data-testid="brief-show-read"
            >
              {showRead ? 'Hide the brief you read' : 'Show the brief you read'}
            </button>
          </div>
          {action?.kind === 'build' && action.error && (
            <p role="alert" className="error">
              {action.error}
            </p>
          )}
        </div>
        {showRead && (
          <div className="brief-read">
            {header}
            {body}
          </div>
        )}
      </>
    );
  }

  return (
    <>
      {header}
      {body}
      <div className="brief-ack">
        <button type="button" className="primary" onClick={onAcknowledge} disabled={pending} data-testid="brief-ack">
          {pending && action?.kind === 'ack' ? 'Saving…' : "I'm caught up"}
        </button>
        {action?.kind === 'ack' && action.error && (
          <p role="alert" className="error">
            {action.error}
          </p>
        )}
      </div>
    </>
  );
}

function hourLabel(hour: number): string {
  return `${String(hour).padStart(2, '0')}:00`;
}
