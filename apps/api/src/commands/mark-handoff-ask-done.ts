import { answerHandoffAsk, type AskSection } from '../domain/handoff-asks.ts';
import { notFound } from '../domain/errors.ts';
import type { DocRow, UserRow } from '../domain/model.ts';
import { inTransaction, type CommandContext } from './transaction.ts';

/**
 * The asked person marks one "Blocked on" / "Decisions needed" item of a handoff note answered (the
 * caller was authorized to read the note). 404 when the note asks her no such thing: only the asked
 * person can answer an ask.
 */
export async function markHandoffAskDone(ctx: CommandContext, actor: UserRow, doc: DocRow, input: { section: AskSection; text: string }): Promise<void> {
  const found = await inTransaction(ctx, (tx) => answerHandoffAsk(tx, doc.id, actor.id, input.section, input.text, ctx.clock.now()));
  if (!found) throw notFound('That ask');
}
