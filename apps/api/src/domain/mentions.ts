import { inArray, mentions, users, type DbOrTx } from '@handoff/db';
import type { MarkdownImportOptions } from '@handoff/shared/markdown';

/** The handles of the mention nodes in a serialized Lexical state (the JSON a revision stores). */
export function mentionsIn(content: string): string[] {
  const handles = new Set<string>();
  const walk = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    const n = node as { type?: unknown; handle?: unknown; children?: unknown; root?: unknown };
    if (n.type === 'mention' && typeof n.handle === 'string') handles.add(n.handle);
    if (Array.isArray(n.children)) n.children.forEach(walk);
    if (n.root) walk(n.root);
  };
  try {
    walk(JSON.parse(content));
  } catch {
    /* not JSON: no mentions */
  }
  return [...handles];
}

/** Markdown import options that turn `@handle` into a mention only for people who exist. */
export async function knownHandles(tx: DbOrTx): Promise<MarkdownImportOptions> {
  const rows = await tx.select({ handle: users.handle }).from(users).all();
  const set = new Set(rows.map((r) => r.handle));
  return { isKnownHandle: (h: string) => set.has(h.toLowerCase()) };
}

/** Records people newly mentioned at `revision` (those not mentioned in the previous one). */
export async function writeMentions(tx: DbOrTx, docId: string, revision: number, before: string[], after: string[], actorId: string, now: number): Promise<void> {
  const fresh = after.filter((h) => !before.includes(h));
  if (!fresh.length) return;
  const people = await tx.select({ id: users.id }).from(users).where(inArray(users.handle, fresh)).all();
  if (!people.length) return;
  await tx
    .insert(mentions)
    .values(people.map((p) => ({ docId, userId: p.id, revision, mentionedBy: actorId, createdAt: now })))
    .onConflictDoNothing();
}
