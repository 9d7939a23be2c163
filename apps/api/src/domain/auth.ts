/**
 * Authentication in words of the domain, gathered in one module: who is calling (identity.ts),
 * credentials as stored (credentials.ts), people (users.ts), passwords (passwords.ts). The use
 * cases (sign up, log in, change a password, mint a token…) are under commands/.
 */
export { ALL_SCOPES, canWrite, parseScopes, type Auth, type Scope } from './identity.ts';
export { resolveToken, type SessionPolicy } from './credentials.ts';
export { createUser, type NewUser } from './users.ts';
export { argon2Passwords, hashPassword, verifyPassword, type PasswordHasher } from './passwords.ts';

/**
 * Sign-up modes: `invite` (the default): the first person signs up freely and becomes the admin,
 * everyone after needs an invite; `open`: anyone who reaches the server (an invite, if given, sets
 * the role); `closed`: only the first person, then people are added with the CLI.
 * (Who may sign up is decided in policies/signup.ts.)
 */
export type SignupMode = 'open' | 'invite' | 'closed';
