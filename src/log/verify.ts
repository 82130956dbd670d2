// The core of `trustrules log verify`: recompute the tree from the stored records, in one streaming pass, and name the
// first record that was altered, removed or reordered, or confirm that every signed checkpoint matches.
import { type Checkpoint, openCheckpoint } from './checkpoint.js';
import { LogError } from './errors.js';
import { HASH_SIZE, type Hash, type HashText, encodeHash, hashText, leafHashText, sameHash, sameHashText } from './hash.js';
import type { NoteVerifier } from './note.js';
import { type NodeReader, type StoredNode, TreeBuilder } from './tree.js';

/** One stored record as the store reads it back, in index order. */
export interface LogEntry {
  /** The index the store holds the record at. */
  readonly index: number;
  /** The leaf data recomputed from the stored record and its salt (`leafData(record, salt)`); null for a tombstone. */
  readonly data?: Uint8Array | null;
  /** The same leaf data as text (hashed as its UTF-8), in place of `data`: what a database hands back. */
  readonly text?: string;
  /** The leaf hash stored beside the record when it was appended; required for a tombstone, checked when data is given. */
  readonly leafHash?: Hash | null;
  /**
   * In place of `data` and `leafHash`: the record's leaf hash, already recomputed by the store from its data (or, for
   * a tombstone, its stored leaf) and found equal to the stored one, as HashText: what a store that hashes its records
   * in other threads hands over. Whatever the store could not show equal it hands over as `data` and `leafHash`.
   */
  readonly leaf?: HashText;
}

/** What was wrong at the first bad index. */
export type LogProblem =
  /** The record's content does not hash to the leaf stored for it (changed, or moved from another index). */
  | 'altered'
  /** No record at this index, though later ones or a checkpoint need it. */
  | 'removed'
  /** A record out of order or twice: its index is not the next one. */
  | 'reordered'
  /** A tombstone without its leaf hash: nothing left to recompute the leaf from. */
  | 'no_leaf'
  /** Every record matched its stored leaf, but the tree does not match a signed checkpoint (leaves rewritten too):
   *  no record before `index` is in doubt (a smaller checkpoint matched), some record from `index` on is wrong. */
  | 'checkpoint_mismatch'
  /** Every record matched, but a stored interior node (what proofs are built from) is wrong or missing. */
  | 'node_mismatch';

/** The outcome of a verification. */
export type LogVerification =
  | {
      readonly ok: true;
      /** Records read. */
      readonly size: number;
      /** Root hash over all records read. */
      readonly root: Hash;
      /** Checkpoints matched. */
      readonly checkpoints: number;
      /** The size of the largest checkpoint: records after it are not yet covered by any signature. */
      readonly signedSize: number;
    }
  | {
      readonly ok: false;
      /** The first bad index (see `problem`). */
      readonly index: number;
      readonly problem: LogProblem;
      /** The checkpoint size that exposed it, when one did. */
      readonly checkpoint?: number;
      /** One sentence for the person running the check. */
      readonly message: string;
    };

/** How `verifyLog` reads checkpoints: parsed ones, or signed notes opened with `verifier`. */
export interface VerifyLogOptions {
  /** The log's checkpoints in increasing size (equal sizes allowed): parsed, or signed notes to open with `verifier`. */
  readonly checkpoints: Iterable<Checkpoint | string> | AsyncIterable<Checkpoint | string>;
  /** The log's verifier key; needed when any checkpoint is given as a signed note. */
  readonly verifier?: NoteVerifier;
  /** The log's origin; when given, every checkpoint must name it. */
  readonly origin?: string;
  /** The store's nodes: when given, each leaf and interior node recomputed is compared with the stored one. */
  readonly storedNodes?: NodeReader;
}

async function* iterate<T>(xs: Iterable<T> | AsyncIterable<T>): AsyncGenerator<T> {
  yield* xs;
}

type Failure = Extract<LogVerification, { ok: false }>;

const encoder = new TextEncoder();
const utf8 = (text: string): Uint8Array => encoder.encode(text);

const isBatch = (x: LogEntry | readonly LogEntry[]): x is readonly LogEntry[] => Array.isArray(x);

/** Nodes compared against the store's in one read: few round trips to SQL, little memory. */
const NODE_BATCH = 4096;

/**
 * Compares recomputed nodes with the stored ones in batches; returns the earliest failure a batch reveals: a leaf that
 * differs is the record `altered`; an interior node that differs although its leaves match is `node_mismatch`.
 */
class StoredNodeCheck {
  #pending: StoredNode[] = [];
  constructor(private readonly reader: NodeReader) {}

  add(node: StoredNode): boolean {
    this.#pending.push(node);
    return this.#pending.length >= NODE_BATCH;
  }

  async flush(): Promise<Failure | null> {
    const nodes = this.#pending;
    this.#pending = [];
    if (nodes.length === 0) return null;
    let stored: (Hash | undefined)[];
    try {
      stored = await this.reader.get(nodes);
    } catch {
      // Some node is missing: read them one by one to say which.
      stored = [];
      for (const n of nodes) stored.push(await this.reader.get([n]).then((h) => h[0], () => undefined));
    }
    const altered: number[] = [];
    const bad: StoredNode[] = [];
    nodes.forEach((n, i) => {
      const h = stored[i];
      if (h !== undefined && sameHash(h, n.hash)) return;
      if (n.level === 0) altered.push(n.index);
      else bad.push(n);
    });
    const span = (n: StoredNode) => [n.index * 2 ** n.level, (n.index + 1) * 2 ** n.level] as const;
    const unexplained = bad.filter((n) => !altered.some((i) => i >= span(n)[0] && i < span(n)[1]));
    const first = Math.min(...altered, ...unexplained.map((n) => span(n)[0]));
    if (!Number.isFinite(first)) return null;
    if (altered.includes(first)) {
      return { ok: false, index: first, problem: 'altered', message: `record ${first} does not match the leaf stored for it: changed, or moved from another index` };
    }
    const n = unexplained.find((x) => span(x)[0] === first)!;
    return {
      ok: false,
      index: first,
      problem: 'node_mismatch',
      message: `the stored tree node over records ${span(n)[0]} to ${span(n)[1] - 1} (level ${n.level}) is ${stored[nodes.indexOf(n)] ? 'wrong' : 'missing'}: proofs served from it would not verify`,
    };
  }
}

/**
 * Streams the stored records (in index order) and the signed checkpoints (in size order) once, holding O(log n) hashes,
 * and returns the first bad index or ok. An asynchronous source may hand the records over one by one or in arrays
 * (one await an array instead of one a record). A checkpoint's signature is checked when it is given as a note (a bad
 * signature or a checkpoint of another log is a LogError: that is a bad input, not a bad record). With
 * `storedNodes`, every node the store holds for these records (the ones proofs are served from) is checked too.
 */
export async function verifyLog(entries: Iterable<LogEntry> | AsyncIterable<LogEntry | readonly LogEntry[]>, options: VerifyLogOptions): Promise<LogVerification> {
  const nodeCheck = options.storedNodes ? new StoredNodeCheck(options.storedNodes) : null;
  let flushDue = false;
  const tree = new TreeBuilder(0, [], nodeCheck ? (n) => { if (nodeCheck.add(n)) flushDue = true; } : undefined);
  const cps = iterate(options.checkpoints);
  let matched = 0;
  let signedSize = 0;
  let vouched = 0; // the largest matched size below signedSize: what a second checkpoint of signedSize leaves in doubt
  let lastSize = -1;

  const nextCheckpoint = async (): Promise<Checkpoint | undefined> => {
    const r = await cps.next();
    if (r.done) return undefined;
    let c: Checkpoint;
    if (typeof r.value === 'string') {
      if (!options.verifier) throw new LogError('verifier', '(none)', 'the log verifier key', 'a signed checkpoint needs the verifier key to be checked');
      c = openCheckpoint(r.value, options.verifier, options.origin);
    } else {
      c = r.value;
      if (options.origin !== undefined && c.origin !== options.origin) throw new LogError('origin', c.origin, options.origin, 'the checkpoint is for another log');
    }
    if (c.size < lastSize) throw new LogError('checkpoints', String(c.size), `sizes in increasing order (after ${lastSize})`, 'checkpoints must be given in increasing size');
    lastSize = c.size;
    return c;
  };

  // Any failure waits for the stored-node comparisons still pending: one of them may name an earlier index, or name
  // exactly the record a checkpoint mismatch only locates to a range.
  const fail = async (f: Failure): Promise<Failure> => {
    const found = nodeCheck ? await nodeCheck.flush() : null;
    return found && (found.index <= f.index || f.problem === 'checkpoint_mismatch') ? found : f;
  };

  // Checks every pending checkpoint whose size the tree has reached; returns a failure, or null.
  let pending = await nextCheckpoint();
  const checkReached = async (): Promise<Failure | null> => {
    while (pending !== undefined && pending.size === tree.size) {
      if (!sameHash(tree.root(), pending.root) && pending.size === signedSize && matched > 0) {
        // Another checkpoint of a size already matched, with another root: two signed histories.
        return fail({
          ok: false,
          index: vouched,
          problem: 'checkpoint_mismatch',
          checkpoint: pending.size,
          message: `two signed checkpoints of size ${pending.size} have different roots: the log forked after record ${vouched - 1}, and only one of them matches the records`,
        });
      }
      if (!sameHash(tree.root(), pending.root)) {
        return fail({
          ok: false,
          index: signedSize,
          problem: 'checkpoint_mismatch',
          checkpoint: pending.size,
          message: `the records from index ${signedSize} to ${pending.size - 1} match their stored leaves but not the signed checkpoint of size ${pending.size} (root ${encodeHash(pending.root)})`,
        });
      }
      matched++;
      if (pending.size > signedSize) vouched = signedSize;
      signedSize = pending.size;
      pending = await nextCheckpoint();
    }
    return null;
  };

  const early = await checkReached();
  if (early) return early;
  // One record: a failure, or null. Synchronous, so a store handing over a plain iterable pays no await per record.
  const step = (e: LogEntry): Failure | null => {
    const at = tree.size;
    if (e.index > at) return { ok: false, index: at, problem: 'removed', message: `record ${at} is missing (the next stored record is ${e.index})` };
    if (e.index < at) return { ok: false, index: e.index, problem: 'reordered', message: `record ${e.index} appears again after record ${at - 1}: out of order or duplicated` };
    let h: HashText;
    if (e.leaf !== undefined) {
      h = e.leaf;
    } else if (e.data || e.text !== undefined) {
      h = leafHashText(e.data ?? utf8(e.text!));
      if (e.leafHash && !sameHashText(h, e.leafHash)) {
        return { ok: false, index: at, problem: 'altered', message: `record ${at} does not match the leaf stored for it: changed, or moved from another index` };
      }
    } else if (e.leafHash) {
      if (e.leafHash.length !== HASH_SIZE) {
        return { ok: false, index: at, problem: 'altered', message: `record ${at} is a tombstone whose stored leaf is not a ${HASH_SIZE}-byte hash` };
      }
      h = hashText(e.leafHash);
    } else {
      return { ok: false, index: at, problem: 'no_leaf', message: `record ${at} has neither content nor a stored leaf hash` };
    }
    tree.pushText(h);
    return null;
  };
  // After a record: the node comparisons and checkpoints that are due (the only awaits).
  const due = () => flushDue || (pending !== undefined && pending.size === tree.size);
  const settle = async (): Promise<Failure | null> => {
    if (flushDue) {
      flushDue = false;
      const bad = await nodeCheck!.flush();
      if (bad) return bad;
    }
    return pending !== undefined && pending.size === tree.size ? checkReached() : null;
  };

  if (Symbol.iterator in entries) {
    for (const e of entries) {
      const bad = step(e);
      if (bad) return fail(bad);
      const late = due() ? await settle() : null;
      if (late) return late;
    }
  } else {
    for await (const item of entries) {
      for (const e of isBatch(item) ? item : [item]) {
        const bad = step(e);
        if (bad) return fail(bad);
        const late = due() ? await settle() : null;
        if (late) return late;
      }
    }
  }
  if (pending !== undefined) {
    const size = tree.size;
    return fail({ ok: false, index: size, problem: 'removed', checkpoint: pending.size, message: `the log holds ${size} records but a signed checkpoint covers ${pending.size}: the records from index ${size} on are missing` });
  }
  const last = nodeCheck ? await nodeCheck.flush() : null;
  if (last) return last;
  return { ok: true, size: tree.size, root: tree.root(), checkpoints: matched, signedSize };
}
