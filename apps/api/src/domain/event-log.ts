import { outbox, type DbOrTx } from '@handoff/db';
import { toOutboxEntry, type DomainEvent } from './events.ts';

/** Writes events to the outbox; call it inside the transaction that made the change. */
export async function appendEvents(tx: DbOrTx, events: readonly DomainEvent[], now: number): Promise<void> {
  if (!events.length) return;
  await tx.insert(outbox).values(events.map((e) => ({ ...toOutboxEntry(e), createdAt: now })));
}
