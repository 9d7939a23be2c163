import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { queryKeys, usePatchDoc, useSpaceDocs } from '../api/queries.ts';
import { ancestorIds, buildTree } from './doc-tree.ts';

/**
 * The live documents of a space as a tree (with a rename under way shown at once), which of its
 * nodes are expanded (the way down to the document being read always is), and the patch mutation
 * the tree's renames and moves go through.
 */
export function useDocTreeData(spaceId: string, currentDocId: string | null) {
  const queryClient = useQueryClient();
  const list = useSpaceDocs(spaceId, 'live');
  const patchDoc = usePatchDoc();
  const status: 'loading' | 'error' | 'loaded' = list.isPending ? 'loading' : list.isError ? 'error' : 'loaded';
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());

  // Opening another document is a good moment to pick up what others changed (titles, new pages).
  const opened = useRef(currentDocId);
  useEffect(() => {
    if (opened.current === currentDocId) return;
    opened.current = currentDocId;
    void queryClient.invalidateQueries({ queryKey: queryKeys.spaceDocList(spaceId, 'live') });
  }, [currentDocId, spaceId, queryClient]);

  // A rename shows at once; the list that reloads after it confirms it (or puts the old one back).
  const renamed = patchDoc.isPending && patchDoc.variables.patch.title !== undefined ? patchDoc.variables : null;
  const docs = useMemo(() => {
    const all = list.data ?? [];
    return renamed ? all.map((d) => (d.id === renamed.id ? { ...d, title: renamed.patch.title ?? d.title } : d)) : all;
  }, [list.data, renamed]);
  const tree = useMemo(() => buildTree(docs), [docs]);

  // Open the way down to the document being read.
  useEffect(() => {
    if (!currentDocId || !tree.byId.has(currentDocId)) return;
    const above = ancestorIds(tree, currentDocId);
    setExpanded((open) => (above.every((id) => open.has(id)) ? open : new Set([...open, ...above])));
  }, [currentDocId, tree]);

  function expand(id: string, open = true) {
    setExpanded((current) => {
      const next = new Set(current);
      if (open) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  return { list, status, docs, tree, patchDoc, expanded, expand };
}
