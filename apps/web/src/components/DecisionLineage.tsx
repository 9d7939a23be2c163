import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { DecisionPatch, DecisionStatus, Doc, DocSummary } from '../api/model.ts';
import { peekDoc, queryKeys, useSpaceDocs } from '../api/queries.ts';
import { Link, docPath } from '../router.tsx';
import { DecisionBadge } from './Badges.tsx';

/** One link of the supersedes chain: a decision this one replaces, directly or further back. */
type ChainLink =
  | { kind: 'doc'; id: string; title: string; status: DecisionStatus | null }
  | { kind: 'hidden'; id: string };

const MAX_CHAIN = 25;

/** Follows `supersedes` from `start` until it ends, loops, or reaches a decision the reader cannot open. */
async function loadChain(queryClient: QueryClient, start: string | null | undefined, selfId: string): Promise<ChainLink[]> {
  const chain: ChainLink[] = [];
  const seen = new Set([selfId]);
  let next = start ?? null;
  while (next && !seen.has(next) && chain.length < MAX_CHAIN) {
    const id: string = next;
    seen.add(id);
    try {
      const doc = await peekDoc(queryClient, id);
      chain.push({ kind: 'doc', id: doc.id, title: doc.title, status: doc.decision?.status ?? null });
      next = doc.decision?.supersedes ?? null;
    } catch {
      chain.push({ kind: 'hidden', id });
      break;
    }
  }
  return chain;
}

/**
 * The "Supersedes" and "Superseded by" entries of a decision's facts: the chain of decisions this
 * one replaces (editors can change what it supersedes) and the decisions that replace it.
 */
export function DecisionLineage({
  doc,
  supersedes,
  canEdit,
  pending,
  save,
}: {
  doc: Doc;
  supersedes: string | null;
  canEdit: boolean;
  pending: boolean;
  save: (patch: DecisionPatch) => Promise<boolean>;
}) {
  const queryClient = useQueryClient();
  const chain =
    useQuery({
      queryKey: queryKeys.decisionChain(doc.id, supersedes),
      queryFn: () => loadChain(queryClient, supersedes, doc.id),
      enabled: supersedes !== null,
    }).data ?? null;
  const decisions = useSpaceDocs(doc.spaceId, 'decisions');
  const spaceDecisions = decisions.data ?? (decisions.isError ? [] : null);
  const supersededBy = (spaceDecisions ?? []).filter((d) => d.id !== doc.id && d.decision?.supersedes === doc.id);

  return (
    <>
      <dt>Supersedes</dt>
      <dd data-testid="supersedes-chain">
        {!supersedes && <span className="muted">Nothing: this is the first decision on the matter.</span>}
        {supersedes && chain === null && <span className="muted">Loading…</span>}
        {supersedes && chain && (
          <ol className="chain">
            {chain.map((link) =>
              link.kind === 'doc' ? (
                <li key={link.id} data-testid="chain-item" data-doc-id={link.id}>
                  <Link to={docPath(link.id)}>{link.title || 'Untitled'}</Link>{' '}
                  {link.status && <DecisionBadge status={link.status} />}
                </li>
              ) : (
                <li key={link.id} className="muted">
                  a decision you cannot open
                </li>
              ),
            )}
          </ol>
        )}
        {canEdit && (
          <SupersedesEditor
            docId={doc.id}
            supersedes={supersedes}
            currentTitle={chain?.[0]?.kind === 'doc' ? chain[0].title : null}
            spaceDecisions={spaceDecisions}
            supersededBy={supersededBy}
            pending={pending}
            save={save}
          />
        )}
      </dd>

      <dt>Superseded by</dt>
      <dd data-testid="superseded-by">
        {spaceDecisions === null && <span className="muted">Loading…</span>}
        {spaceDecisions && supersededBy.length === 0 && <span className="muted">Nothing so far.</span>}
        {supersededBy.length > 0 && (
          <ul className="chain">
            {supersededBy.map((d) => (
              <li key={d.id} data-testid="superseded-by-item">
                <Link to={docPath(d.id)}>{d.title || 'Untitled'}</Link>{' '}
                {d.decision && <DecisionBadge status={d.decision.status} />}
              </li>
            ))}
          </ul>
        )}
      </dd>
    </>
  );
}

/** The "Change" button and, once pressed, the select of what this decision supersedes. */
function SupersedesEditor({
  docId,
  supersedes,
  currentTitle,
  spaceDecisions,
  supersededBy,
  pending,
  save,
}: {
  docId: string;
  supersedes: string | null;
  /** The title of the decision superseded now, once the chain is loaded (null: not known). */
  currentTitle: string | null;
  spaceDecisions: DocSummary[] | null;
  supersededBy: DocSummary[];
  pending: boolean;
  save: (patch: DecisionPatch) => Promise<boolean>;
}) {
  const [editing, setEditing] = useState(false);
  const candidates = (spaceDecisions ?? []).filter((d) => d.id !== docId && !supersededBy.some((s) => s.id === d.id));

  if (!editing) {
    return (
      <button type="button" className="link-button small-text" onClick={() => setEditing(true)} data-testid="decision-supersedes-edit">
        Change
      </button>
    );
  }
  return (
    <label className="inline-label">
      <span className="visually-hidden">What this decision supersedes</span>
      <select
        value={supersedes ?? ''}
        disabled={pending || spaceDecisions === null}
        onChange={(e) => {
          setEditing(false);
          void save({ supersedes: e.target.value || null });
        }}
        onBlur={() => setEditing(false)}
        autoFocus
        data-testid="decision-supersedes-select"
      >
        <option value="">Nothing</option>
        {supersedes && !candidates.some((d) => d.id === supersedes) && (
          <option value={supersedes}>{currentTitle ?? 'Another decision'}</option>
        )}
        {candidates.map((d) => (
          <option key={d.id} value={d.id}>
            {d.title || 'Untitled'}
          </option>
        ))}
      </select>
    </label>
  );
}
