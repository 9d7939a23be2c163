import { hash, verify } from '@node-rs/argon2';

/** OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane. */
// algorithm 2 is Argon2id (a const enum in the typings, so spelled as its value).
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Hashes and verifies passwords (argon2id; tests may count calls through `deps.passwords`). */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(stored: string, password: string): Promise<boolean>;
}

export const argon2Passwords: PasswordHasher = {
  hash: (password) => hash(password, ARGON2),
  async verify(stored, password) {
    try {
      return await verify(stored, password);
    } catch {
      return false;
    }
  },
};

export const hashPassword = (password: string) => argon2Passwords.hash(password);
export const verifyPassword = (stored: string, password: string) => argon2Passwords.verify(stored, password);

/** Verified against when an e-mail is unknown, so that both paths of a log-in take the same time. */
let dummyHash: Promise<string> | null = null;

/** Spends one verification on nothing (the unknown-e-mail path of a log-in). */
export async function verifyNothing(passwords: PasswordHasher, password: string): Promise<void> {
  dummyHash ??= argon2Passwords.hash('not a real password, only for timing');
  await passwords.verify(await dummyHash, password);
}
