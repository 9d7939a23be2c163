import { and, asc, count, eq, memberships, spaces, watches, type DbOrTx } from '@handoff/db';
import { conflict } from './errors.ts';
import type { SpaceRole, SpaceRow } from './model.ts';

/** Spaces, their explicit memberships and the watches of a space, as stored. */

export type MembershipRow = typeof memberships.$inferSelect;

export async function insertSpace(db: DbOrTx, space: SpaceRow): Promise<void> {
  await db.insert(spaces).values(space);
}

/** Every space with the given person's explicit role in it (null: none), by name. */
export async function spacesWithMembership(db: DbOrTx, userId: string): Promise<Array<{ space: SpaceRow; membership: SpaceRole | null }>> {
  const rows = await db
    .select({ space: spaces, role: memberships.role })
    .from(spaces)
    .leftJoin(memberships, and(eq(memberships.spaceId, spaces.id), eq(memberships.userId, userId)))
    .orderBy(asc(spaces.name))
    .all();
  return rows.map((r) => ({ space: r.space, membership: r.role ?? null }));
}

export interface SpaceChange {
  name?: string | undefined;
  private?: boolean | undefined;
  commenting?: 'readers' | 'editors' | undefined;
}

export async function updateSpace(db: DbOrTx, spaceId: string, change: SpaceChange, now: number): Promise<SpaceRow | null> {
  const set: SpaceChange & { updatedAt: number } = { updatedAt: now };
  if (change.name !== undefined) set.name = change.name;
  if (change.private !== undefined) set.private = change.private;
  if (change.commenting !== undefined) set.commenting = change.commenting;
  return (await db.update(spaces).set(set).where(eq(spaces.id, spaceId)).returning().get()) ?? null;
}

// ---- Memberships ------------------------------------------------------------------------------

export async function membershipsOf(db: DbOrTx, spaceId: string): Promise<MembershipRow[]> {
  return db.select().from(memberships).where(eq(memberships.spaceId, spaceId)).orderBy(asc(memberships.createdAt)).all();
}

export async function membershipRole(db: DbOrTx, spaceId: string, userId: string): Promise<SpaceRole | null> {
  const row = await db.select({ role: memberships.role }).from(memberships).where(and(eq(memberships.spaceId, spaceId), eq(memberships.userId, userId))).get();
  return row?.role ?? null;
}

/** Adds a membership or changes its role (the first `createdAt` is kept). */
export async function upsertMembership(db: DbOrTx, spaceId: string, userId: string, role: SpaceRole, now: number): Promise<void> {
  await db
    .insert(memberships)
    .values({ spaceId, userId, role, createdAt: now })
    .onConflictDoUpdate({ target: [memberships.spaceId, memberships.userId], set: { role } });
}

/** Removes a membership; false if there was none. */
export async function deleteMembership(db: DbOrTx, spaceId: string, userId: string): Promise<boolean> {
  const rows = await db
    .delete(memberships)
    .where(and(eq(memberships.spaceId, spaceId), eq(memberships.userId, userId)))
    .returning({ userId: memberships.userId });
  return rows.length > 0;
}

/**
 * A space keeps at least one explicit admin: the last one may not leave or step down (409) until
 * they have made someone else admin. (Workspace admins administer every space regardless.) Call
 * it inside the transaction that removes or demotes `userId`.
 */
export async function assertNotLastAdmin(db: DbOrTx, spaceId: string, userId: string): Promise<void> {
  if ((await membershipRole(db, spaceId, userId)) !== 'admin') return;
  const admins = await db.select({ n: count() }).from(memberships).where(and(eq(memberships.spaceId, spaceId), eq(memberships.role, 'admin'))).get();
  if ((admins?.n ?? 0) <= 1) {
    throw conflict('This is the last admin of the space; make someone else admin first.', undefined, 'last_admin');
  }
}

// ---- Watches of a space -----------------------------------------------------------------------

const spaceWatch = (userId: string, spaceId: string) =>
  and(eq(watches.userId, userId), eq(watches.targetType, 'space'), eq(watches.targetId, spaceId));

export async function insertSpaceWatch(db: DbOrTx, userId: string, spaceId: string, now: number): Promise<void> {
  await db.insert(watches).values({ userId, targetType: 'space', targetId: spaceId, createdAt: now }).onConflictDoNothing();
}

export async function deleteSpaceWatch(db: DbOrTx, userId: string, spaceId: string): Promise<void> {
  await db.delete(watches).where(spaceWatch(userId, spaceId));
}

export async function watchesSpace(db: DbOrTx, userId: string, spaceId: string): Promise<boolean> {
  return !!(await db.select({ userId: watches.userId }).from(watches).where(spaceWatch(userId, spaceId)).get());
}
