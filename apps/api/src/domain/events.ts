import type { SpaceRole } from './model.ts';

/**
 * What happened, in words of the domain. A command emits events inside its transaction; they are
 * written to the outbox in that same transaction (so a job that reads the outbox never misses one
 * and never sees one that was rolled back) and published in-process after the commit (the read
 * cache, live collaboration and the compactor subscribe). `topic` is the outbox's `topic` column;
 * `docId` and `spaceId` fill its columns; the other fields are its JSON `payload`.
 */
export type DomainEvent =
  | DocCreated
  | DocRevised
  | DocMoved
  | DocTrashed
  | DocRestored
  | DocDeleted
  | MembershipChanged
  | SpaceChanged
  | AccessChanged
  | ThreadChanged;

export interface DocCreated {
  topic: 'doc.created';
  docId: string;
  spaceId: string;
  revision: number;
  actor: string;
}

export interface DocRevised {
  topic: 'doc.revised';
  docId: string;
  spaceId: string;
  revision: number;
  actor: string;
  authors: string[];
  source: string;
  titleChanged: boolean;
  bodyChanged: boolean;
  decisionChanged: boolean;
}

export interface DocMoved {
  topic: 'doc.moved';
  docId: string;
  spaceId: string;
  parentId: string | null;
  actor: string;
}

export interface DocTrashed {
  topic: 'doc.trashed';
  docId: string;
  spaceId: string;
  actor: string;
}

export interface DocRestored {
  topic: 'doc.restored';
  docId: string;
  spaceId: string;
  actor: string;
}

/** A document removed for good (today only the compensation of a failed import). */
export interface DocDeleted {
  topic: 'doc.deleted';
  docId: string;
  spaceId: string;
  actor: string;
  reason: string;
}

/** A person's explicit role in a space was set (`role`) or removed (`null`). */
export interface MembershipChanged {
  topic: 'space.membership';
  spaceId: string;
  userId: string;
  role: SpaceRole | null;
}

/** A space's settings changed (name, private/open). */
export interface SpaceChanged {
  topic: 'space.changed';
  spaceId: string;
  actor: string;
}

/** What a person may do changed: sessions ended, tokens revoked, password or workspace role changed. */
export interface AccessChanged {
  topic: 'user.access';
  userId: string;
  reason: 'logout' | 'password' | 'session' | 'token' | 'role' | 'profile';
}

/**
 * A comment thread changed: started, replied to, a comment edited or deleted, resolved or
 * reopened. Never changes the body or makes a revision; live readers are told, search re-reads
 * the document's comments. `asked` lists the people the change asked something of.
 */
export interface ThreadChanged {
  topic: 'thread.changed';
  docId: string;
  spaceId: string;
  threadId: string;
  change: 'created' | 'replied' | 'edited' | 'deleted' | 'resolved' | 'reopened';
  commentId: string | null;
  actor: string;
  asked: string[];
}

export type Topic = DomainEvent['topic'];
export type EventOf<T extends Topic> = Extract<DomainEvent, { topic: T }>;

/** An outbox row as written (ids and times are the outbox's). */
export interface OutboxEntry {
  topic: string;
  docId: string | null;
  spaceId: string | null;
  payload: string;
}

export function toOutboxEntry(event: DomainEvent): OutboxEntry {
  const { topic, ...rest } = event;
  const fields: Record<string, unknown> = { ...rest };
  const docId = typeof fields.docId === 'string' ? fields.docId : null;
  const spaceId = typeof fields.spaceId === 'string' ? fields.spaceId : null;
  delete fields.docId;
  delete fields.spaceId;
  return { topic, docId, spaceId, payload: JSON.stringify(fields) };
}

/** Reads an outbox row back as the event it recorded. */
export function fromOutboxEntry(row: OutboxEntry): DomainEvent {
  const payload = JSON.parse(row.payload) as Record<string, unknown>;
  return { ...payload, topic: row.topic, ...(row.docId ? { docId: row.docId } : {}), ...(row.spaceId ? { spaceId: row.spaceId } : {}) } as DomainEvent;
}

/** Who may read or edit what may have changed: open sockets re-check, caches forget. */
export type AccessScope = { kind: 'space'; spaceId: string } | { kind: 'user'; userId: string } | { kind: 'docs' };

export function accessScopeOf(event: DomainEvent): AccessScope | null {
  switch (event.topic) {
    case 'space.membership':
    case 'space.changed':
      return { kind: 'space', spaceId: event.spaceId };
    case 'user.access':
      return { kind: 'user', userId: event.userId };
    case 'doc.moved':
    case 'doc.trashed':
    case 'doc.restored':
    case 'doc.deleted':
      return { kind: 'docs' };
    default:
      return null;
  }
}
