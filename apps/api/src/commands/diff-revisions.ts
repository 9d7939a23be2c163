import { and, eq, inArray, revisions } from '@handoff/db';
import { diffBlocks } from '@handoff/shared/diff';
import { notFound } from '../domain/errors.ts';
import { blocksOfContent } from '../domain/revision-blocks.ts';
import type { CommandContext } from './transaction.ts';

/** Block-level diff between two revisions of a document, with a word-level diff inside changed blocks. */
export async function diffRevisions(ctx: Pick<CommandContext, 'db'>, docId: string, from: number, to: number) {
  const rows = await ctx.db
    .select({ revision: revisions.revision, content: revisions.content })
    .from(revisions)
    .where(and(eq(revisions.docId, docId), inArray(revisions.revision, [from, to])))
    .all();
  const before = rows.find((r) => r.revision === from);
  const after = rows.find((r) => r.revision === to);
  if (!before || !after) throw notFound('Revision');
  return { from, to, blocks: diffBlocks(blocksOfContent(before.content), blocksOfContent(after.content)) };
}
