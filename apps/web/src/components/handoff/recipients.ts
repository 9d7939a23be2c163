import type { PublicUser, Space } from '../../api/model.ts';

/** How a handoff recipient reads: a person's name, or "Everyone in <space>" (a space the reader cannot see: "a space"). */
export function recipientLabel(recipient: string, users: Map<string, PublicUser>, spaces: readonly Pick<Space, 'id' | 'name'>[]): string {
  if (recipient.startsWith('space:')) {
    const space = spaces.find((s) => s.id === recipient.slice('space:'.length));
    return space ? `Everyone in ${space.name}` : 'a space';
  }
  return users.get(recipient)?.name ?? 'someone';
}

/** The key of today's dismissed end-of-day offer in localStorage. */
export const dismissedOfferKey = (userId: string, date: string) => `handoff:offer-dismissed:${userId}:${date}`;
