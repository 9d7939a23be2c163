import { asc, eq, outbox } from '@handoff/db';
import { createTestApp, type TestApp } from '../../testing.ts';
import type { Clock } from '../../domain/clock.ts';
import { fromOutboxEntry, type DomainEvent, type Topic } from '../../domain/events.ts';
import type { UserRow } from '../../domain/model.ts';
import type { PasswordHasher } from '../../domain/passwords.ts';
import { createUser, type WorkspaceRole } from '../../domain/users.ts';

/** Instant "hashing" for tests that make many people (argon2id takes tens of milliseconds). */
export const plainPasswords: PasswordHasher = {
  hash: async (password) => `plain:${password}`,
  verify: async (stored, password) => stored === `plain:${password}`,
};

export interface CommandTestApp {
  t: TestApp;
  deps: TestApp['deps'];
  /** Every event published on the bus since the app was made, in order. */
  published: DomainEvent[];
  /** A new person (the first one made is the workspace admin unless `role` says otherwise). */
  person(handle: string, role?: WorkspaceRole): Promise<UserRow>;
  /** The events of `topic` written to the outbox, oldest first. */
  outboxOf<T extends Topic>(topic: T): Promise<Array<Extract<DomainEvent, { topic: T }>>>;
  close(): Promise<void>;
}

/** A real app on a libSQL file (never `:memory:`), for the tests beside the commands. */
export async function commandTestApp(options: { clock?: Clock } = {}): Promise<CommandTestApp> {
  const t = await createTestApp({ startIndexer: false, ...options });
  t.deps.passwords = plainPasswords;
  const published: DomainEvent[] = [];
  t.deps.events.subscribe((event) => void published.push(event));
  return {
    t,
    deps: t.deps,
    published,
    person: (handle, role) =>
      createUser(t.deps.db, t.deps.clock, { email: `${handle}@example.com`, name: handle, handle, password: `${handle}-password`, timezone: 'UTC', ...(role ? { role } : {}) }, plainPasswords),
    async outboxOf(topic) {
      const rows = await t.deps.db.select().from(outbox).where(eq(outbox.topic, topic)).orderBy(asc(outbox.id)).all();
      return rows.map((r) => fromOutboxEntry(r)) as never;
    },
    close: () => t.close(),
  };
}
