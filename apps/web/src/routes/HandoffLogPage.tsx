import { useState } from 'react';
import { useHandoffDraft, useHandoffLog, type HandoffDay } from '../api/handoff-queries.ts';
import { recipientLabel } from '../components/handoff/recipients.ts';
import { handoffSpace, useWriteHandoff } from '../components/handoff/use-write-handoff.ts';
import { useUsers } from '../components/use-users.ts';
import { Link, docPath } from '../router.tsx';
import { errorMessage } from '../session.tsx';
import { useSpaceSelection } from './Layout.tsx';

/** "Tuesday, 10 March 2026" for a YYYY-MM-DD date (already the reader's day). */
function dayLabel(date: string): string {
  const d = new Date(`${date}T12:00:00Z`);
  return Number.isNaN(d.getTime()) ? date : d.toLocaleDateString(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/**
 * The team's handoff log: handoff notes by the day they were written (in the reader's time zone),
 * newest first, filtered by space, with a button that writes today's.
 */
export function HandoffLogPage() {
  const { spaces, selectedSpaceId } = useSpaceSelection();
  const [spaceId, setSpaceId] = useState<string | null>(null);
  const log = useHandoffLog(spaceId);
  const draft = useHandoffDraft();
  const users = useUsers();
  const { write, pending, error } = useWriteHandoff();
  const target = handoffSpace(spaces, spaceId ?? selectedSpaceId);
  const days = mergeDays(log.data?.pages.flatMap((p) => p.days) ?? []);

  return (
    <section className="page wide-page handoff-log" data-testid="handoff-log">
      <h1>Handoff log</h1>
      <p className="muted">What each person handed over at the end of their day: done, next, blocked, decisions needed, and to whom.</p>
      <div className="filters">
        <label className="inline-label">
          Space
          <select value={spaceId ?? ''} onChange={(e) => setSpaceId(e.target.value || null)} data-testid="handoff-space-filter">
            <option value="">All spaces</option>
            {(spaces ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="primary small"
          disabled={!target || pending}
          onClick={() => target && void write(target, draft.data?.draft)}
          title={target ? `A new handoff note in ${target.name}` : 'You cannot write in any space'}
          data-testid="write-handoff"
        >
          {pending ? 'Writing…' : 'Write today’s handoff'}
        </button>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {log.isPending && <p className="muted">Loading…</p>}
      {log.isError && (
        <p role="alert" className="error">
          {errorMessage(log.error)}
        </p>
      )}
      {log.isSuccess && days.length === 0 && <p className="muted" data-testid="handoff-log-empty">No handoff notes yet.</p>}
      {days.map((day) => (
        <section key={day.date} className="handoff-day" aria-labelledby={`day-${day.date}`} data-testid="handoff-day" data-date={day.date}>
          <h2 id={`day-${day.date}`}>{dayLabel(day.date)}</h2>
          <ul className="handoff-entries">
            {day.handoffs.map((h) => (
              <li key={h.doc.id} className="handoff-entry" data-testid="handoff-entry" data-doc-id={h.doc.id}>
                <Link to={docPath(h.doc.id)} className="handoff-title">
                  {h.doc.title || 'Untitled'}
                </Link>
                <span className="muted small-text">
                  {' '}
                  by {h.author.name}
                  {h.to.length > 0 && <> · to {h.to.map((r) => recipientLabel(r, users, spaces ?? [])).join(', ')}</>}
                </span>
                <p className="handoff-counts small-text" data-testid="handoff-counts">
                  {h.counts.done} done · {h.counts.next} next · <span data-blocked={h.counts.blocked > 0}>{h.counts.blocked} blocked</span> ·{' '}
                  {h.counts.decisions} {h.counts.decisions === 1 ? 'decision' : 'decisions'} needed
                </p>
              </li>
            ))}
          </ul>
        </section>
      ))}
      {log.hasNextPage && (
        <button type="button" className="small" disabled={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
          {log.isFetchingNextPage ? 'Loading…' : 'Earlier handoffs'}
        </button>
      )}
    </section>
  );
}

/** Pages may split a day: one section per date. */
function mergeDays(days: HandoffDay[]): HandoffDay[] {
  const out: HandoffDay[] = [];
  for (const day of days) {
    const last = out[out.length - 1];
    if (last && last.date === day.date) last.handoffs = [...last.handoffs, ...day.handoffs];
    else out.push({ date: day.date, handoffs: [...day.handoffs] });
  }
  return out;
}
