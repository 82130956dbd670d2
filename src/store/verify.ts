// `log verify` over a stored log: streams the stored records (with the leaf hashes of the node table) into the log
// layer's verify core, against every signed checkpoint the log handed out plus any a user kept, and names the first
// record altered, removed, reordered or added. Each row is also checked against itself (its place and query columns).
import { encodeHash, openCheckpoint, verifyLog, type Checkpoint, type LogEntry, type NoteVerifier } from '../log/index.js';
import type { Sql } from './database.js';

/** What verification found. */
export type VerifyResult =
  | { readonly ok: true; readonly records: number; readonly checkpoints: number; readonly root: string; readonly tombstones: number }
  | { readonly ok: false; readonly index: number; readonly problem: string };

/**
 * Records read per query. 20,000 measured no faster than 5,000 on 200k records from PostgreSQL (the database's own work
 * dominates) and held 40 MB more, so memory stays at two chunks of 5,000.
 */
const CHUNK = 5000;

interface Row {
  idx: string | number;
  id: string;
  content: string;
  node: Uint8Array | null;
  tombstoned: boolean;
  jurisdiction: string;
  agency: string;
  /** occurred_at in milliseconds since 1970 (read as a number: parsing a million timestamps into Dates cost ~3 %). */
  occurred_ms: number | string;
  recorded_by: string;
  deviation: boolean;
  corrects: string | null;
  occurred_on: string;
  request: string | null;
  basis: string | null;
  agent: string | null;
  action: string | null;
  outcome: string | null;
}

/** Checks a row against itself: its content's index and id, tombstone form, and the query columns copied from it. */
function rowProblem(r: Row, index: number): string | null {
  let parsed: { record?: Record<string, unknown> };
  try {
    parsed = JSON.parse(r.content) as { record?: Record<string, unknown> };
  } catch {
    return 'its content is not JSON';
  }
  const record = parsed.record;
  if (!record || typeof record !== 'object') return 'its content holds no record';
  if (record.index !== index) return `its content says index ${String(record.index)}: records were reordered`;
  if (record.id !== r.id) return 'its id column does not match its content';
  if (r.tombstoned) {
    const t = record.tombstone as { reason?: unknown } | undefined;
    if (!t || t.reason !== 'retention' || Object.keys(record).sort().join() !== 'id,index,tombstone') return 'it is marked deleted but its content is not a tombstone';
    return null;
  }
  if ('tombstone' in record) return 'its content is a tombstone but it is not marked deleted';
  const actor = (record.scenario as { actor?: { jurisdiction?: unknown; agency?: unknown } } | undefined)?.actor;
  const same = actor?.jurisdiction === r.jurisdiction && actor?.agency === r.agency && record.recorded_by === r.recorded_by
    && record.deviation === r.deviation && (record.corrects ?? null) === r.corrects
    && Date.parse(String(record.occurred_at)) === Number(r.occurred_ms);
  // the report columns (migration 003), which public reports count
  const scenario = (record.scenario ?? {}) as { request?: unknown; basis?: unknown };
  const asText = (v: unknown) => (typeof v === 'string' ? v : null);
  const reported = r.occurred_on === String(record.occurred_at).slice(0, 10) && r.request === asText(scenario.request)
    && r.basis === asText(scenario.basis) && r.agent === record.agent && r.action === record.action
    && r.outcome === (record.decision as { outcome?: unknown } | undefined)?.outcome;
  if (same && !reported) return 'its report columns do not match its content';
  return same ? null : 'its query columns do not match its content';
}

/**
 * Verifies the log in `sql` with `verifier`: every stored checkpoint and every `extra` one (signed notes) must open
 * with the key and match the tree recomputed from the records; every record must be in place and unaltered. Records
 * are read `chunk` at a time (tests make it small), the next chunk while the current one is checked.
 */
export async function verifyStoredLog(sql: Sql, verifier: NoteVerifier, extra: readonly string[] = [], chunkSize: number = CHUNK): Promise<VerifyResult> {
  const checkpoints: Checkpoint[] = [];
  const stored = await sql.query<{ size: string | number; note: string }>('SELECT size, note FROM log_checkpoints ORDER BY size');
  for (const c of [...stored.map((s) => ({ note: s.note, size: Number(s.size), from: 'stored' })), ...extra.map((note) => ({ note, size: -1, from: 'given' }))]) {
    let cp: Checkpoint;
    try {
      cp = openCheckpoint(c.note, verifier, verifier.name);
    } catch (e) {
      return { ok: false, index: Math.max(c.size, 0), problem: `a ${c.from} checkpoint${c.size >= 0 ? ` of size ${c.size}` : ''} does not verify: ${(e as Error).message}` };
    }
    if (c.from === 'stored' && cp.size !== c.size) return { ok: false, index: c.size, problem: `the checkpoint stored for size ${c.size} is for size ${cp.size}` };
    checkpoints.push(cp);
  }
  checkpoints.sort((a, b) => a.size - b.size);
  const [head] = await sql.query<{ size: string | number }>('SELECT size FROM log_head WHERE id = 1');
  const signedSize = Math.max(checkpoints.at(-1)?.size ?? 0, head ? Number(head.size) : 0);

  let selfProblem: { index: number; problem: string } | null = null;
  let tombstones = 0;
  // The leaf hash comes from the node table, not from the row: a row moved or edited is then named exactly.
  const chunk = (from: number) => sql.query<Row>(
    `SELECT r.idx, r.id, r.content, n.hash AS node, r.tombstoned_at IS NOT NULL AS tombstoned, r.jurisdiction, r.agency,
            floor(extract(epoch FROM r.occurred_at) * 1000)::float8 AS occurred_ms, r.recorded_by, r.deviation, r.corrects,
            r.occurred_on::text AS occurred_on, r.request, r.basis, r.agent, r.action, r.outcome
     FROM contact_records r LEFT JOIN log_nodes n ON n.level = 0 AND n.idx = r.idx WHERE r.idx >= $1 ORDER BY r.idx LIMIT $2`,
    [from, chunkSize],
  );
  async function* entries(): AsyncGenerator<LogEntry> {
    let next = 0;
    let coming = chunk(0);
    for (;;) {
      const rows = await coming;
      // The next chunk is read while this one is hashed: the database's time and ours overlap. Two chunks at most are
      // held, so memory stays flat however long the log.
      const last = rows.length ? Number(rows[rows.length - 1]!.idx) : -1;
      if (rows.length === chunkSize) {
        coming = chunk(last + 1);
        // Left unread when a problem ends the walk early: its failure must not surface as an unhandled rejection.
        coming.catch(() => undefined);
      }
      for (const r of rows) {
        const index = Number(r.idx);
        const problem = index === next ? rowProblem(r, index) : null;
        if (problem) {
          selfProblem = { index, problem: `record ${index}: ${problem}` };
          return;
        }
        if (index >= signedSize) {
          selfProblem = { index, problem: `record ${index} is not covered by any signed checkpoint (the log's size is ${signedSize})` };
          return;
        }
        if (r.tombstoned) tombstones++;
        yield r.tombstoned ? { index, data: null, leafHash: r.node } : { index, data: null, text: r.content, leafHash: r.node };
        next = index + 1;
      }
      if (rows.length < chunkSize) return;
    }
  }
  const result = await verifyLog(entries(), { checkpoints, origin: verifier.name });
  const self = selfProblem as { index: number; problem: string } | null;
  if (self && (result.ok || self.index <= result.index)) return { ok: false, ...self };
  if (!result.ok) return { ok: false, index: result.index, problem: result.message };
  return { ok: true, records: result.size, checkpoints: result.checkpoints, root: encodeHash(result.root), tombstones };
}
