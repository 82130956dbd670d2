// The access log: every read of contact records (who, when, which query, how many came back), each entry's hash
// covering the previous entry's, so an entry cannot be removed or changed without breaking the chain after it.
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Database, Sql } from './database.js';

/** One read, as recorded. */
export interface AccessEntry {
  readonly seq: number;
  readonly at: string;
  readonly user_id: string;
  /** What was done: `get`, `list`, `export`, `inclusion`. */
  readonly action: string;
  /** The query as asked, canonical JSON. */
  readonly query: string;
  readonly results: number;
}

const GENESIS = new Uint8Array(32);

/** The chain hash of an entry: SHA-256(previous hash || canonical JSON of the entry). */
export function accessHash(prev: Uint8Array, e: AccessEntry): Buffer {
  return createHash('sha256').update(prev).update(canonicalize(e)!, 'utf8').digest();
}

/** Records one read, durably, before the records are handed out. */
export async function recordAccess(db: Database, read: { userId: string; action: string; query: Record<string, unknown>; results: number }): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('INSERT INTO access_head (id, seq, hash) VALUES (1, -1, $1) ON CONFLICT (id) DO NOTHING', [GENESIS]);
    const [head] = await tx.query<{ seq: string | number; hash: Uint8Array }>('SELECT seq, hash FROM access_head WHERE id = 1 FOR UPDATE');
    const entry: AccessEntry = {
      seq: Number(head!.seq) + 1, at: new Date().toISOString(), user_id: read.userId, action: read.action,
      query: canonicalize(read.query)!, results: read.results,
    };
    const hash = accessHash(head!.hash, entry);
    await tx.query('INSERT INTO access_log (seq, at, user_id, action, query, results, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
      entry.seq, entry.at, entry.user_id, entry.action, entry.query, entry.results, head!.hash, hash,
    ]);
    await tx.query('UPDATE access_head SET seq = $1, hash = $2 WHERE id = 1', [entry.seq, hash]);
  });
}

/** Checks the access log's chain; returns the number of entries, or the first entry (seq) that breaks it. */
export async function verifyAccessLog(sql: Sql): Promise<{ ok: true; entries: number } | { ok: false; seq: number; problem: string }> {
  let prev: Uint8Array = GENESIS;
  let expected = 0;
  const rows = await sql.query<Record<string, unknown>>('SELECT seq, at, user_id, action, query, results, prev_hash, hash FROM access_log ORDER BY seq');
  for (const r of rows) {
    const seq = Number(r.seq);
    if (seq !== expected) return { ok: false, seq: expected, problem: seq > expected ? 'entry missing' : 'entry repeated' };
    const entry: AccessEntry = {
      seq, at: new Date(r.at as string).toISOString(), user_id: String(r.user_id), action: String(r.action), query: String(r.query), results: Number(r.results),
    };
    const hash = accessHash(prev, entry);
    if (Buffer.compare(Buffer.from(r.prev_hash as Uint8Array), Buffer.from(prev)) !== 0 || Buffer.compare(hash, Buffer.from(r.hash as Uint8Array)) !== 0) {
      return { ok: false, seq, problem: 'entry altered' };
    }
    prev = hash;
    expected++;
  }
  const [head] = await sql.query<{ seq: string | number; hash: Uint8Array }>('SELECT seq, hash FROM access_head WHERE id = 1');
  if (head && Number(head.seq) !== expected - 1) return { ok: false, seq: expected, problem: 'entries removed from the end' };
  return { ok: true, entries: expected };
}
