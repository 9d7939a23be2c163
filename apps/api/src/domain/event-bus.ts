import type { DomainEvent } from './events.ts';

export type EventListener = (event: DomainEvent) => void;

/**
 * In-process delivery of committed events (after the transaction that wrote them to the outbox).
 * Listeners run synchronously in subscription order; one listener's failure is its own and is
 * reported to `onError`. Jobs that must not miss an event across a restart read the outbox instead.
 */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly onError: (err: unknown, event: DomainEvent) => void = () => undefined) {}

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  publish(events: readonly DomainEvent[]): void {
    for (const event of events) {
      for (const listener of this.listeners) {
        try {
          listener(event);
        } catch (err) {
          this.onError(err, event);
        }
      }
    }
  }
}
