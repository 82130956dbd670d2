// `log verify` over a stored log: streams the stored records (with the leaf hashes of the node table) into the log
// layer's verify core, against every signed checkpoint the log handed out plus any a user kept, and names the first
// record altered, removed, reordered or added. Each row is also checked against itself (its place and query columns).
import { encodeHash, openCheckpoint, verifyLog, type Checkpoint, type LogEntry, type NoteVerifier } from '../log/index.js';
import type { Sql } from './database.js';
import { CHUNK_COLUMNS, type CheckedChunk } from './verifyChunk.js';
import { chunkChecker } from './verifyThreads.js';

/** What verification found. */
export type VerifyResult =
  | { readonly ok: true; readonly records: number; readonly checkpoints: number; readonly root: string; readonly tombstones: number }
  | { readonly ok: false; readonly index: number; readonly problem: string };

/**
 * Records read per COPY: about 5 MB a chunk, two chunks held at most (20,000 a query measured no faster with the
 * driver's rows, and held 40 MB more).
 */
const CHUNK = 5000;

/** Chunks asked for ahead of the one the tree is folding: read and checked meanwhile, ~5 MB each until checked. */
const AHEAD = 3;

/**
 * Verifies the log in `sql` with `verifier`: every stored checkpoint and every `extra` one (signed notes) must open
 * with the key and match the tree recomputed from the records; every record must be in place and unaltered. Records
 * are read `chunk` at a time (tests make it small); while the tree is folded from one chunk, the next ones are read
 * and their rows checked and hashed on `threads` worker threads (default `defaultVerifyThreads()`; 0, and always
 * under the test runner: in this thread, the same code).
 */
export async function verifyStoredLog(sql: Sql, verifier: NoteVerifier, extra: readonly string[] = [], chunk: number = CHUNK, threads?: number): Promise<VerifyResult> {
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
  // whose head was cut back) by the records that are there, one chunk after another.
  const ranged = (from: number) => from + chunkSize <= signedSize;
  // The leaf hash comes from the node table, not from the row: a row moved or edited is then named exactly. Only
  // whole numbers are interpolated (a COPY takes no parameters).
  const read = (from: number) => {
    // The range repeated on the nodes lets the planner merge two index range scans (half the time of a lookup a row).
    const range = (col: string) => `${col} >= ${from}${ranged(from) ? ` AND ${col} < ${from + chunkSize}` : ''}`;
    return sql.copyOut(
      `SELECT ${CHUNK_COLUMNS} FROM contact_records r LEFT JOIN log_nodes n ON n.level = 0 AND n.idx = r.idx AND ${range('n.idx')}
       WHERE ${range('r.idx')} ORDER BY r.idx LIMIT ${chunkSize}`,
    );
  };
  const checker = chunkChecker(threads);
  // Chunks asked for, in order: each read as soon as the one before it has arrived (one read at a time), then checked
  // (in a thread), at most AHEAD waiting to be folded.
  const coming: { ranged: boolean; checked: Promise<CheckedChunk> }[] = [];
  let nextFrom: number | null = 0; // where the next read starts, when that is known before the chunks before it are folded
  let reading = false;
  const askAhead = () => {
    if (reading || nextFrom === null || coming.length >= AHEAD) return;
    const from = nextFrom;
    const isRanged = ranged(from);
    nextFrom = isRanged ? from + chunkSize : null;
    reading = true;
    const bytes = read(from);
    bytes.then(() => {
      reading = false;
      askAhead();
    }, () => {
      reading = false;
    });
    const checked = bytes.then((b) => checker.check(b));
    // Left unread when a problem ends the walk early: its failure must not surface as an unhandled rejection.
    checked.catch(() => undefined);
    coming.push({ ranged: isRanged, checked });
  };
  // One array of entries per chunk, so the walk awaits once a chunk, not once a record.
  async function* entries(): AsyncGenerator<LogEntry[]> {
    let next = 0;
    askAhead();
    for (;;) {
      const { ranged: isRanged, checked } = coming.shift()!;
      const c = await checked;
      askAhead();
      const out: LogEntry[] = [];
      const { indices, leaves, tombstoned } = c;
      let unchecked = 0;
      for (let row = 0; row < c.rows; row++) {
        const index = indices[row]!;
        // checkChunk checked every row as if it stood at its index; that counts only for a row where the log expects
        // it. A row elsewhere is named by the log as removed or reordered (its index is not the tree's size), and as
        // checkChunk stops at its first problem, the walk must end there too.
        const problem = c.problem?.row === row ? c.problem.message : null;
        if (problem && index === next) {
          selfProblem = { index, problem: `record ${index}: ${problem}` };
          if (out.length) yield out;
          return;
        }
        if (index >= signedSize) {
          selfProblem = { index, problem: `record ${index} is not covered by any signed checkpoint (the log's size is ${signedSize})` };
          if (out.length) yield out;
          return;
        }
        const deleted = tombstoned[row] === 1;
        if (deleted) tombstones++;
        const odd = c.unchecked[unchecked];
        if (odd?.row === row) {
          unchecked++;
          out.push({ index, data: odd.data, leafHash: odd.leafHash });
        } else {
          out.push({ index, leaf: leaves.slice(32 * row, 32 * row + 32) });
        }
        next = index + 1;
        if (problem) {
          // out of place: the log names it (`index` is not `next`, so it is not the tree's size)
          yield out;
          return;
        }
      }
      if (out.length) yield out;
      if (!isRanged) {
        if (c.rows < chunkSize) return;
        nextFrom = indices[c.rows - 1]! + 1;
        askAhead();
      }
    }
  }
  let result: Awaited<ReturnType<typeof verifyLog>>;
  try {
    result = await verifyLog(entries(), { checkpoints, origin: verifier.name });
  } finally {
    await checker.close();
  }
  const self = selfProblem as { index: number; problem: string } | null;
  if (self && (result.ok || self.index <= result.index)) return { ok: false, ...self };
  if (!result.ok) return { ok: false, index: result.index, problem: result.message };
  return { ok: true, records: result.size, checkpoints: result.checkpoints, root: encodeHash(result.root), tombstones };
}
