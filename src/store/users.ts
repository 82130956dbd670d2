// Accounts and their tokens (contract section 7): a role, a jurisdiction scope and, optionally, an agency. A token is
// 256 random bits shown once; only its SHA-256 is stored, and presented tokens are compared in constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Sql } from './database.js';

/** Every account role, from staff to admin. */
export const roles = ['staff', 'supervisor', 'auditor', 'admin'] as const;
/** staff records and reads its own; supervisor reads all in its jurisdiction; auditor reads, proves, exports; admin runs accounts. */
export type Role = (typeof roles)[number];

/** An account as stored (never with its token). */
export interface User {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  /** The account's scope: this jurisdiction and every one below it. */
  readonly jurisdiction: string;
  /** When set, the account only acts for this kind of agency. */
  readonly agency: string | null;
  readonly created_at: string;
  readonly revoked_at: string | null;
}

const TOKEN_PREFIX = 'trt_';

/** SHA-256 of a token, as stored. */
export function tokenHash(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** An account from its `users` row. */
export function rowToUser(r: Record<string, unknown>): User {
  const time = (v: unknown) => (v == null ? null : new Date(v as string | Date).toISOString());
  return {
    id: String(r.id), name: String(r.name), role: r.role as Role, jurisdiction: String(r.jurisdiction),
    agency: r.agency == null ? null : String(r.agency), created_at: time(r.created_at)!, revoked_at: time(r.revoked_at),
  };
}

/** Creates an account; returns it and its token, which exists nowhere else afterwards. */
export async function addUser(sql: Sql, input: { name: string; role: Role; jurisdiction: string; agency?: string | null }): Promise<{ user: User; token: string }> {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const id = `u_${randomBytes(9).toString('base64url')}`;
  const [row] = await sql.query(
    'INSERT INTO users (id, name, role, jurisdiction, agency, token_hash) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *',
    [id, input.name, input.role, input.jurisdiction, input.agency ?? null, tokenHash(token)],
  );
  return { user: rowToUser(row!), token };
}

/** Every account, oldest first. */
export async function listUsers(sql: Sql): Promise<User[]> {
  return (await sql.query('SELECT * FROM users ORDER BY created_at, id')).map(rowToUser);
}

/** Revokes an account by id or exact name; returns the accounts revoked now (none if already revoked or unknown). */
export async function revokeUser(sql: Sql, idOrName: string): Promise<User[]> {
  return (await sql.query('UPDATE users SET revoked_at = now() WHERE (id = $1 OR name = $1) AND revoked_at IS NULL RETURNING *', [idOrName])).map(rowToUser);
}

/** The live account a presented token belongs to, or null. */
export async function userForToken(sql: Sql, token: string): Promise<User | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const hash = tokenHash(token);
  const [row] = await sql.query('SELECT * FROM users WHERE token_hash = $1 AND revoked_at IS NULL', [hash]);
  if (!row) return null;
  // The lookup is by hash, which reveals nothing about the token; compare the full hash in constant time anyway.
  const stored = Buffer.from(row.token_hash as Uint8Array);
  return stored.length === hash.length && timingSafeEqual(stored, hash) ? rowToUser(row) : null;
}

/** Whether `jurisdiction` is the scope itself or lies below it (`us/md` covers `us/md/howard-county`). */
export function withinJurisdiction(scope: string, jurisdiction: string): boolean {
  return jurisdiction === scope || jurisdiction.startsWith(`${scope}/`);
}
