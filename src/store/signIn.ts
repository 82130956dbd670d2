// Web sign-in (issue 9 §5): a username and password on an account (argon2id; only the PHC hash is stored), and the
// sessions of signed-in browsers (a random token in a cookie, stored as its SHA-256, expiring, ended on sign-out).
// A failed sign-in says nothing about which part was wrong: unknown names cost the same hashing as wrong passwords.
import { randomBytes } from 'node:crypto';
import { hash, verify, Algorithm } from '@node-rs/argon2';
import type { Sql } from './database.js';
import { rowToUser, tokenHash, type User } from './users.js';

/** Shortest password accepted (NIST SP 800-63B asks at least 8; these accounts see records, so more). */
export const MIN_PASSWORD_LENGTH = 12;
/** Longest password accepted (argon2 takes any length; this bounds the work a request can ask for). */
export const MAX_PASSWORD_LENGTH = 256;
/** How long a session lasts from sign-in when nothing else is configured: one working shift. */
export const DEFAULT_SESSION_HOURS = 8;

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;
// argon2id with OWASP's first recommended setting (19 MiB, 2 passes, 1 lane): the library's defaults, said out loud.
const ARGON2 = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
const SESSION_PREFIX = 'trs_';

/** A refusal of a username or password, naming which and what is allowed. */
export class SignInInputError extends Error {
  constructor(readonly field: 'username' | 'password' | 'user', message: string) {
    super(message);
    this.name = 'SignInInputError';
  }
}

/** A username as stored: lower case, 2-64 of a-z 0-9 . _ - starting with a letter or digit; throws when not one. */
export function usernameOf(input: string): string {
  const u = input.trim().toLowerCase();
  if (!USERNAME.test(u)) throw new SignInInputError('username', 'a username is 2-64 of a-z 0-9 . _ - and starts with a letter or digit');
  return u;
}

/** Throws when a password is too short or too long. */
export function checkPasswordRules(password: string): void {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) throw new SignInInputError('password', `a password has at least ${MIN_PASSWORD_LENGTH} characters`);
  if (length > MAX_PASSWORD_LENGTH) throw new SignInInputError('password', `a password has at most ${MAX_PASSWORD_LENGTH} characters`);
}

/**
 * Gives the live account named by `who` (its id, exact name or username) a password, and a username when given (an
 * account signing in for the first time needs one). Ends the account's open sessions. Admin accounts do not sign in
 * on the web (they manage accounts from the command line).
 */
export async function setPassword(sql: Sql, who: string, password: string, username?: string): Promise<User & { username: string }> {
  checkPasswordRules(password);
  const wanted = username === undefined ? undefined : usernameOf(username);
  const rows = await sql.query('SELECT * FROM users WHERE (id = $1 OR name = $1 OR username = $2) AND revoked_at IS NULL', [who, who.trim().toLowerCase()]);
  if (rows.length === 0) throw new SignInInputError('user', `no active account "${who}"`);
  if (rows.length > 1) throw new SignInInputError('user', `"${who}" names ${rows.length} accounts: give the account's id (trustrules users list)`);
  const row = rows[0]!;
  if (row.role === 'admin') throw new SignInInputError('user', 'admin accounts do not sign in on the web; web sign-in is for staff, supervisors and auditors');
  const name = wanted ?? (row.username == null ? undefined : String(row.username));
  if (name === undefined) throw new SignInInputError('username', 'this account has no username yet: give one (--username)');
  if (wanted !== undefined) {
    const [taken] = await sql.query('SELECT id FROM users WHERE username = $1 AND id <> $2', [wanted, row.id]);
    if (taken) throw new SignInInputError('username', `the username "${wanted}" is taken`);
  }
  const phc = await hash(password, ARGON2);
  const [updated] = await sql.query('UPDATE users SET username = $2, password_hash = $3, password_set_at = now() WHERE id = $1 RETURNING *', [row.id, name, phc]);
  await sql.query('UPDATE web_sessions SET ended_at = now() WHERE user_id = $1 AND ended_at IS NULL', [row.id]);
  return { ...rowToUser(updated!), username: name };
}

// Verified against when no account has the name, so an unknown name takes as long as a wrong password.
let decoy: Promise<string> | undefined;

/** The live, non-admin account whose username and password these are; null for anything else. */
export async function checkPassword(sql: Sql, username: string, password: string): Promise<User | null> {
  decoy ??= hash(randomBytes(18).toString('base64'), ARGON2);
  const name = username.trim().toLowerCase();
  const usable = USERNAME.test(name) && password.length > 0 && [...password].length <= MAX_PASSWORD_LENGTH;
  const [row] = usable ? await sql.query("SELECT * FROM users WHERE username = $1 AND revoked_at IS NULL AND role <> 'admin' AND password_hash IS NOT NULL", [name]) : [];
  const phc = row ? String(row.password_hash) : await decoy;
  const ok = await verify(phc, usable ? password : 'x').catch(() => false);
  return row && ok ? rowToUser(row) : null;
}

/** A session just started: the token for the cookie (shown nowhere else) and when it expires. */
export interface NewSession {
  readonly token: string;
  readonly expiresAt: Date;
}

/** Starts a session for an account; it lasts `hours` from now. */
export async function startSession(sql: Sql, userId: string, hours = DEFAULT_SESSION_HOURS): Promise<NewSession> {
  const token = SESSION_PREFIX + randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + hours * 3_600_000);
  await sql.query('INSERT INTO web_sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [tokenHash(token), userId, expiresAt.toISOString()]);
  return { token, expiresAt };
}

/** The account of a live session (not ended, not expired, its account not revoked), or null. */
export async function sessionUser(sql: Sql, token: string): Promise<User | null> {
  if (!token.startsWith(SESSION_PREFIX) || token.length > 100) return null;
  const [row] = await sql.query(
    'SELECT u.* FROM web_sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.ended_at IS NULL AND s.expires_at > now() AND u.revoked_at IS NULL',
    [tokenHash(token)],
  );
  return row ? rowToUser(row) : null;
}

/** Ends a session (sign-out); true when it was live. */
export async function endSession(sql: Sql, token: string): Promise<boolean> {
  if (!token.startsWith(SESSION_PREFIX) || token.length > 100) return false;
  return (await sql.query('UPDATE web_sessions SET ended_at = now() WHERE token_hash = $1 AND ended_at IS NULL RETURNING user_id', [tokenHash(token)])).length > 0;
}
