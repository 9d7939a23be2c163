import type { DbOrTx } from '@handoff/db';
import { selectBrief, type BuildBriefOptions, type BuiltBrief } from '../domain/build-brief.ts';
import type { UserRow } from '../domain/model.ts';
import { readableSpaces } from '../policies/access.ts';

/**
 * The facts of a reader's brief over (since, until], chosen among the spaces the access policy
 * lets her read now (see domain/build-brief.ts for the selection, reasons, score and budget). A
 * read: nothing is stored (commands/create-brief.ts writes and stores a brief).
 */
export async function buildBrief(db: DbOrTx, reader: UserRow, options: BuildBriefOptions): Promise<BuiltBrief> {
  return selectBrief(db, reader, readableSpaces(db, reader), options);
}
