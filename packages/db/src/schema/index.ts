export * from './users.ts';
export * from './spaces.ts';
export * from './documents.ts';
export * from './briefs.ts';
export * from './auth.ts';
export * from './comments.ts';
export * from './delivery.ts';
