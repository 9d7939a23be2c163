export * from './client.ts';
export * from './schema/index.ts';
export * as schema from './schema/index.ts';
export { and, asc, count, desc, eq, gt, gte, inArray, isNotNull, isNull, lt, lte, max, ne, not, notInArray, or, sql } from 'drizzle-orm';
export type { SQL } from 'drizzle-orm';
export { withWritePriority } from './write-gate.ts';
