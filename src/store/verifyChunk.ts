// The per-row work of `log verify` on one chunk of stored records (a binary COPY): each row checked against itself
// (its index, id, tombstone and query columns against its content) and its leaf hashed and compared with the one
// stored for it. A pure function of the chunk's bytes, so that it runs the same in a worker thread (verifyWorker.ts)
// or in the verifier's own thread, while the tree is folded from the chunk before.
import { HASH_SIZE, leafHashText, sameHashText } from '../log/index.js';
import { BinaryCopyReader } from './binaryCopy.js';
import { Field, FieldType, RecordFields, isoTimestampMs } from './recordFields.js';

/**
 * The columns of a chunk, in this order: what the leaf is hashed from and compared with, then the query columns
 * copied from the content, which each row is checked against. Read as a binary COPY (`Sql.copyOut`): one object per
 * record instead of one per row and per column, the bytes hashed where they arrived.
 */
export const CHUNK_COLUMNS = `r.idx, r.content, n.hash, r.tombstoned_at IS NOT NULL, r.id, r.jurisdiction, r.agency, r.occurred_at,
  r.recorded_by, r.deviation, r.corrects, r.occurred_on::text, r.request, r.basis, r.agent, r.action, r.outcome`;
const COLUMN_COUNT = 17;

/** A row whose leaf the log must judge itself (it differs from the stored one, or either is missing or odd). */
export interface UncheckedLeaf {
  /** Its place in the chunk. */
  readonly row: number;
  /** Its leaf data (a copy), or null for a tombstone or a NULL content. */
  readonly data: Uint8Array | null;
  /** The leaf hash stored for it (a copy), or null when there is none. */
  readonly leafHash: Uint8Array | null;
}

/** What `checkChunk` found in one chunk: everything the tree needs from it, without its bytes. */
export interface CheckedChunk {
  /** Rows read: all of the chunk's, or up to and including `problem.row`. */
  readonly rows: number;
  /** Each row's index (its `idx` column). */
  readonly indices: Float64Array;
  /** 1 where the row is marked deleted by retention. */
  readonly tombstoned: Uint8Array;
  /**
   * Each row's leaf hash (HashText, 32 characters a row, in row order), already compared with the stored one: the
   * hash of its data, or the stored leaf of a tombstone. Filler for the rows in `unchecked`.
   */
  readonly leaves: string;
  /** The rows whose leaf is left to the log's own check (a changed record, a missing or odd stored leaf). */
  readonly unchecked: readonly UncheckedLeaf[];
  /** The first row that does not agree with itself, as the self-check words it; the chunk is read up to it. */
  readonly problem: { readonly row: number; readonly message: string } | null;
}

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
  const record = parsed?.record;
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

/** 32 characters standing in `leaves` for a row whose leaf is in `unchecked`. */
const FILLER = '\0'.repeat(HASH_SIZE);
const fields = new RecordFields();

/**
 * Reads one chunk (a binary COPY of CHUNK_COLUMNS, rows in index order) and does its per-row work: every row is
 * checked against itself as if it stood where the log expects it (the caller knows whether it does), and its leaf is
 * hashed and compared with the stored one. Stops after the first row that does not agree with itself: the walk ends
 * there, or (when that row is out of place) the log names it. Throws BinaryCopyError on bytes that are not such a copy.
 */
export function checkChunk(bytes: Uint8Array): CheckedChunk {
  const r = new BinaryCopyReader(bytes, COLUMN_COUNT);
  let capacity = 1024;
  let indices = new Float64Array(capacity);
  let tombstoned = new Uint8Array(capacity);
  const leaves: string[] = [];
  const unchecked: UncheckedLeaf[] = [];
  let problem: CheckedChunk['problem'] = null;
  let rows = 0;
  while (r.nextRow()) {
    if (rows === capacity) {
      capacity *= 2;
      const i = new Float64Array(capacity);
      i.set(indices);
      indices = i;
      const t = new Uint8Array(capacity);
      t.set(tombstoned);
      tombstoned = t;
    }
    const index = r.field().int8()!;
    const data = r.field().bytea();
    const contentStart = r.start;
    const contentEnd = r.end;
    const leaf = r.field().bytea();
    const deleted = r.field().bool()!;
    indices[rows] = index;
    tombstoned[rows] = deleted ? 1 : 0;
    // The strict scan shows most rows right; any other goes through JSON.parse, which names the problem.
    r.mark();
    if (deleted || data === null || !fields.scan(r.bytes, contentStart, contentEnd) || !rowMatches(fields, r, index)) {
      r.rewind();
      const message = rowProblem(data === null ? '' : r.decode(data), deleted, r, index);
      if (message) problem = { row: rows, message };
    }
    // The leaf as the log would check it (verifyLog's step): the data's hash against the stored leaf, or for a
    // tombstone the stored leaf itself. Anything the log would refuse is handed to it as read.
    let text: string | null = null;
    if (deleted) {
      if (leaf !== null && leaf.length === HASH_SIZE) text = Buffer.from(leaf.buffer, leaf.byteOffset, HASH_SIZE).toString('latin1');
    } else if (data !== null) {
      const h = leafHashText(data);
      if (leaf === null || sameHashText(h, leaf)) text = h;
    }
    if (text === null) {
      leaves.push(FILLER);
      // copies (`new Uint8Array`), not views: the chunk's bytes are not kept
      unchecked.push({ row: rows, data: deleted || data === null ? null : new Uint8Array(data), leafHash: leaf === null ? null : new Uint8Array(leaf) });
    } else {
      leaves.push(text);
    }
    rows++;
    if (problem) break;
  }
  return { rows, indices: indices.subarray(0, rows), tombstoned: tombstoned.subarray(0, rows), leaves: leaves.join(''), unchecked, problem };
}
