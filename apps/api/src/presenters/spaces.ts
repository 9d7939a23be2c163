import type { SpaceRow, SpaceRole } from '../domain/model.ts';
import { iso } from './time.ts';

export function presentSpace(s: SpaceRow, role: SpaceRole | null) {
  return { id: s.id, name: s.name, private: s.private, commenting: s.commenting, role, createdAt: iso(s.createdAt) };
}

export function presentMember(m: { userId: string; role: SpaceRole }) {
  return { userId: m.userId, role: m.role };
}
