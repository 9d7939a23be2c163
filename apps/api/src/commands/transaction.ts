import type { Db, Tx } from '@handoff/db';
import type { Clock } from '../domain/clock.ts';
import type { EventBus } from '../domain/event-bus.ts';
import { appendEvents } from '../domain/event-log.ts';
import type { DomainEvent } from '../domain/events.ts';

/** What every command needs: the database, the time, and the bus its events are published on. */
export interface CommandContext {
  db: Db;
  clock: Clock;
  events: EventBus;
}

export type Emit = (event: DomainEvent) => void;

/**
 * Runs `work` in one transaction. The events it emits are written to the outbox in that same
 * transaction and published in-process only after the commit (never for a rollback).
 */
export async function inTransaction<T>(ctx: CommandContext, work: (tx: Tx, emit: Emit) => Promise<T>): Promise<T> {
  let events: DomainEvent[] = [];
  const result = await ctx.db.transaction(async (tx) => {
    events = [];
    const value = await work(tx, (event) => void events.push(event));
    await appendEvents(tx, events, ctx.clock.now());
    return value;
  });
  ctx.events.publish(events);
  return result;
}
