// `log verify` over a stored log: streams the stored records (with the leaf hashes of the node table) into the log
// layer's verify core, against every signed checkpoint the log handed out plus any a user kept, and names the first
// record altered, removed, reordered or added. Each row is also checked against itself (its place and query columns).
import { encodeHash, openCheckpoint, verifyLog, type Checkpoint, type LogEntry, type NoteVerifier } from '../log/index.js';
import { BinaryCopyReader } from './binaryCopy.js';
import type { Sql } from './database.js';
import { Field, FieldType, RecordFields, isoTimestampMs } from './recordFields.js';

/** What verification found. */
export type VerifyResult =
  | { readonly ok: true; readonly records: number; readonly checkpoints: number; readonly root: string; readonly tombstones: number }
  | { readonly ok: false; readonly index: number; readonly problem: string };

/**
 * Records read per COPY: about 5 MB a chunk, two chunks held at most (20,000 a query measured no faster with the
 * driver's rows, and held 40 MB more).
 */
const CHUNK = 5000;

/**
 * The columns of a chunk, in this order: what the leaf is hashed from and compared with, then the query columns
 * copied from the content, which each row is checked against. Read as a binary COPY (`Sql.copyOut`): one object per
 * record instead of one per row and per column, the bytes hashed where they arrived.
 */
const COLUMNS = `r.idx, r.content, n.hash, r.tombstoned_at IS NOT NULL, r.id, r.jurisdiction, r.agency, r.occurred_at,
  r.recorded_by, r.deviation, r.corrects, r.occurred_on::text, r.request, r.basis, r.agent, r.action, r.outcome`;
const COLUMN_COUNT = 17;

/**
 * Checks a row against itself: its content's index and id, tombstone form, and the query columns copied from it.
 * `r` stands before the row's fifth field (id), the first query column; it reads them in order.
 */
function rowProblem(text: string, tombstoned: boolean, r: BinaryCopyReader, index: number): string | null {
  let parsed: { record?: Record<string, unknown> };
  try {
    parsed = JSON.parse(text) as { record?: Record<string, unknown> };
  } catch {
    return 'its content is not JSON';
  }
  const record = parsed.record;
  if (!record || typeof record !== 'object') return 'its content holds no record';
  if (record.index !== index) return `its content says index ${String(record.index)}: records were reordered`;
  if (!r.field().textEquals(record.id)) return 'its id column does not match its content';
  if (tombstoned) {
    const t = record.tombstone as { reason?: unknown } | undefined;
    if (!t || t.reason !== 'retention' || Object.keys(record).sort().join() !== 'id,index,tombstone') return 'it is marked deleted but its content is not a tombstone';
    return null;
  }
  if ('tombstone' in record) return 'its content is a tombstone but it is not marked deleted';
  const actor = (record.scenario as { actor?: { jurisdiction?: unknown; agency?: unknown } } | undefined)?.actor;
  const same = r.field().textEquals(actor?.jurisdiction) && r.field().textEquals(actor?.agency)
    && r.field().timestampMs() === Date.parse(String(record.occurred_at)) && r.field().textEquals(record.recorded_by)
    && r.field().bool() === record.deviation && r.field().textEquals(record.corrects ?? null);
  if (!same) return 'its query columns do not match its content';
  // the report columns (migration 003), which public reports count
  const scenario = (record.scenario ?? {}) as { request?: unknown; basis?: unknown };
  const asText = (v: unknown) => (typeof v === 'string' ? v : null);
  const reported = r.field().textEquals(String(record.occurred_at).slice(0, 10)) && r.field().textEquals(asText(scenario.request))
    && r.field().textEquals(asText(scenario.basis)) && r.field().textEquals(record.agent) && r.field().textEquals(record.action)
    && r.field().textEquals((record.decision as { outcome?: unknown } | undefined)?.outcome);
  return reported ? null : 'its report columns do not match its content';
}

/** Whether a query column `r.field()` is the string field `slot` of the scanned record (NULL when it is absent). */
function sameText(r: BinaryCopyReader, f: RecordFields, slot: number, absentIsNull: boolean): boolean {
  const t = f.type[slot];
  r.field();
  if (t === FieldType.STRING) return r.bytesEqual(f.start[slot]!, f.end[slot]!);
  return absentIsNull && t === FieldType.ABSENT && r.isNull;
}

/**
 * `rowProblem` without JSON.parse, on a record `f` scanned from the row's content: true only when `rowProblem` would
 * find no problem, by the same comparisons on the fields the strict scanner found (a string's value is its bytes).
 * False means "not shown here": the row then goes through `rowProblem`, which decides and names what is wrong.
 * Tombstones are always left to `rowProblem` (they are few). Reads the same fields as `rowProblem`, from the id on.
 */
function rowMatches(f: RecordFields, r: BinaryCopyReader, index: number): boolean {
  const t = f.type;
  if (t[Field.RECORD] !== FieldType.OBJECT || t[Field.INDEX] !== FieldType.NUMBER || f.index !== index) return false;
  if (!sameText(r, f, Field.ID, false) || t[Field.TOMBSTONE] !== FieldType.ABSENT) return false;
  if (t[Field.SCENARIO] !== FieldType.OBJECT || t[Field.ACTOR] !== FieldType.OBJECT || t[Field.OCCURRED_AT] !== FieldType.STRING) return false;
  if (!sameText(r, f, Field.JURISDICTION, false) || !sameText(r, f, Field.AGENCY, false)) return false;
  const at = f.start[Field.OCCURRED_AT]!;
  const atEnd = f.end[Field.OCCURRED_AT]!;
  const written = isoTimestampMs(r.bytes, at, atEnd);
  if (r.field().timestampMs() !== (Number.isNaN(written) ? Date.parse(r.latin1(at, atEnd)) : written)) return false;
  if (!sameText(r, f, Field.RECORDED_BY, false)) return false;
  const deviation = t[Field.DEVIATION];
  if (deviation !== FieldType.TRUE && deviation !== FieldType.FALSE) return false;
  if (r.field().bool() !== (deviation === FieldType.TRUE)) return false;
  // corrects: absent or null is a NULL column (`record.corrects ?? null`)
  if (t[Field.CORRECTS] === FieldType.NULL ? !r.field().isNull : !sameText(r, f, Field.CORRECTS, true)) return false;
  // occurred_on: the first ten characters of occurred_at (ASCII here, so ten bytes)
  if (!r.field().bytesEqual(at, Math.min(at + 10, atEnd))) return false;
  // request and basis: a string, or absent for a NULL column (another type is left to rowProblem)
  if (!sameText(r, f, Field.REQUEST, true) || !sameText(r, f, Field.BASIS, true)) return false;
  if (!sameText(r, f, Field.AGENT, false) || !sameText(r, f, Field.ACTION, false)) return false;
  return t[Field.DECISION] === FieldType.OBJECT && sameText(r, f, Field.OUTCOME, false);
}

/**
 * Verifies the log in `sql` with `verifier`: every stored checkpoint and every `extra` one (signed notes) must open
 * with the key and match the tree recomputed from the records; every record must be in place and unaltered. Records
 * are read `chunk` at a time (tests make it small), the next chunk while the current one is checked.
 */
export async function verifyStoredLog(sql: Sql, verifier: NoteVerifier, extra: readonly string[] = [], chunk: number = CHUNK): Promise<VerifyResult> {
  const chunkSize = Math.max(1, Math.trunc(chunk));
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
  // The records are read in chunks of fixed index ranges below the signed size, so that the next chunk is asked for
  // as soon as one arrives and the database's time and ours overlap; past it (records no checkpoint covers, or a log
  // whose head was cut back) by the records that are there. Two chunks at most are held: memory stays flat.
  const ranged = (from: number) => from + chunkSize <= signedSize;
  // The leaf hash comes from the node table, not from the row: a row moved or edited is then named exactly. Only
  // whole numbers are interpolated (a COPY takes no parameters).
  const read = (from: number) => {
    // The range repeated on the nodes lets the planner merge two index range scans (half the time of a lookup a row).
    const range = (col: string) => `${col} >= ${from}${ranged(from) ? ` AND ${col} < ${from + chunkSize}` : ''}`;
    const bytes = sql.copyOut(
      `SELECT ${COLUMNS} FROM contact_records r LEFT JOIN log_nodes n ON n.level = 0 AND n.idx = r.idx AND ${range('n.idx')}
       WHERE ${range('r.idx')} ORDER BY r.idx LIMIT ${chunkSize}`,
    );
    // Left unread when a problem ends the walk early: its failure must not surface as an unhandled rejection.
    bytes.catch(() => undefined);
    return bytes;
  };
  // One array of entries per chunk, so the walk awaits once a chunk, not once a record.
  async function* entries(): AsyncGenerator<LogEntry[]> {
    let next = 0;
    let from = 0;
    let coming = read(0);
    const fields = new RecordFields();
    for (;;) {
      const r = new BinaryCopyReader(await coming, COLUMN_COUNT);
      const range = ranged(from);
      if (range) coming = read(from + chunkSize);
      const out: LogEntry[] = [];
      while (r.nextRow()) {
        const index = r.field().int8()!;
        const data = r.field().bytea()!;
        const contentStart = r.start;
        const contentEnd = r.end;
        const leaf = r.field().bytea();
        const tombstoned = r.field().bool()!;
        let problem: string | null = null;
        if (index === next) {
          // The strict scan shows most rows right; any other goes through JSON.parse, which names the problem.
          r.mark();
          if (tombstoned || !fields.scan(r.bytes, contentStart, contentEnd) || !rowMatches(fields, r, index)) {
            r.rewind();
            problem = rowProblem(r.decode(data), tombstoned, r, index);
          }
        }
        if (problem) {
          selfProblem = { index, problem: `record ${index}: ${problem}` };
          if (out.length) yield out;
          return;
        }
        if (index >= signedSize) {
          selfProblem = { index, problem: `record ${index} is not covered by any signed checkpoint (the log's size is ${signedSize})` };
          if (out.length) yield out;
          return;
        }
        if (tombstoned) tombstones++;
        out.push(tombstoned ? { index, data: null, leafHash: leaf } : { index, data, leafHash: leaf });
        next = index + 1;
      }
      if (out.length) yield out;
      if (range) {
        from += chunkSize;
      } else {
        if (out.length < chunkSize) return;
        from = out[out.length - 1]!.index + 1;
        coming = read(from);
      }
    }
  }
  const result = await verifyLog(entries(), { checkpoints, origin: verifier.name });
  const self = selfProblem as { index: number; problem: string } | null;
  if (self && (result.ok || self.index <= result.index)) return { ok: false, ...self };
  if (!result.ok) return { ok: false, index: result.index, problem: result.message };
  return { ok: true, records: result.size, checkpoints: result.checkpoints, root: encodeHash(result.root), tombstones };
}
