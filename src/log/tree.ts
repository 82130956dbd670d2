// The contact log's Merkle tree (RFC 9162 2.1) over stored complete-subtree hashes: appends, roots and proofs read
// at most O(log n) stored nodes in one call, so a proof at a million records costs microseconds, not a recomputation.
import { LogError } from './errors.js';
import { HASH_SIZE, type Hash, type HashText, emptyTreeHash, hashBytes, hashText, nodeHash, nodeHashText, sameHash } from './hash.js';

/**
 * A node of the tree: level L, index i is the hash of leaves [i·2^L, (i+1)·2^L) (level 0 is the leaf hashes).
 * Only complete subtrees are nodes; every root and proof is folded from them.
 */
export interface NodeId {
  /** Height above the leaves (0 = a leaf hash). */
  readonly level: number;
  /** Position among the nodes of this level, from the left. */
  readonly index: number;
}

/** A node with its hash, as stored. */
export interface StoredNode extends NodeId {
  /** The SHA-256 hash of the complete subtree. */
  readonly hash: Hash;
}

/** Reads stored nodes: the hashes of `ids`, in the same order (the SQL store answers with one query). */
export interface NodeReader {
  /** The hashes of the nodes `ids`, in order; throws if any is not stored. */
  get(ids: readonly NodeId[]): Promise<Hash[]>;
}

// 2^L for every level a safe-integer tree can have: a table, because `2 ** L` with a variable L is a slow Math.pow.
const POW2 = Array.from({ length: 54 }, (_, l) => 2 ** l);
const pow2 = (level: number): number => POW2[level]!;

function checkSize(size: number, path: string): void {
  if (!Number.isSafeInteger(size) || size < 0) throw new LogError(path, String(size), 'a whole number ≥ 0', 'not a tree size');
}

/** The largest power of two strictly below n (n ≥ 2), the split point of RFC 9162's MTH. */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The complete nodes that make up leaves [start, end), left to right, when start is aligned to a power of two at
 * least end - start: exactly the ranges RFC 9162's MTH, PATH and PROOF ever hash. Their right fold is MTH(D[start:end]).
 */
export function rangeNodes(start: number, end: number): NodeId[] {
  const ids: NodeId[] = [];
  let a = start;
  while (a < end) {
    let level = 0;
    while (a % pow2(level + 1) === 0 && a + pow2(level + 1) <= end) level++;
    ids.push({ level, index: a / pow2(level) });
    a += pow2(level);
  }
  return ids;
}

/** Folds the hashes of a range's nodes from the right: H(n1, H(n2, … H(n_{k-1}, n_k))). */
function foldRight(hashes: readonly Hash[]): Hash {
  let h = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) h = nodeHash(hashes[i]!, h);
  return h;
}

/** The nodes whose right fold is the root of a tree of `size` leaves (the tree's right edge). */
export function rootNodes(size: number): NodeId[] {
  checkSize(size, 'size');
  return rangeNodes(0, size);
}

/** A proof to be computed: each element is the right fold of one group of stored nodes. */
export interface ProofPlan {
  /** One group of node ids per proof element, in proof order. */
  readonly groups: readonly (readonly NodeId[])[];
}

/** Every node id a plan needs, in the order `combine` expects their hashes. */
export function planNodes(plan: ProofPlan): NodeId[] {
  return plan.groups.flat();
}

/** Builds the proof from the hashes of `planNodes(plan)`, in that order. */
export function combine(plan: ProofPlan, hashes: readonly Hash[]): Hash[] {
  const out: Hash[] = [];
  let at = 0;
  for (const g of plan.groups) {
    out.push(foldRight(hashes.slice(at, at + g.length)));
    at += g.length;
  }
  return out;
}

/** The plan of the inclusion proof of leaf `index` in a tree of `size` leaves: PATH(index, D[0:size]) of RFC 9162 2.1.3.1. */
export function inclusionPlan(index: number, size: number): ProofPlan {
  checkSize(size, 'size');
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
    throw new LogError('index', String(index), size > 0 ? `0 to ${size - 1}` : 'none: the tree is empty', 'the leaf is not in a tree of this size');
  }
  // PATH(m, D[lo:hi]) = PATH(m, left) : MTH(right) or PATH(m, right) : MTH(left); collected top-down, proof is bottom-up.
  const topDown: NodeId[][] = [];
  let lo = 0;
  let hi = size;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (index < lo + k) {
      topDown.push(rangeNodes(lo + k, hi));
      hi = lo + k;
    } else {
      topDown.push(rangeNodes(lo, lo + k));
      lo += k;
    }
  }
  return { groups: topDown.reverse() };
}

/** The plan of the consistency proof from `first` to `second` leaves: PROOF(first, D[0:second]) of RFC 9162 2.1.4.1. */
export function consistencyPlan(first: number, second: number): ProofPlan {
  checkSize(second, 'to');
  if (!Number.isSafeInteger(first) || first < 1 || first > second) {
    throw new LogError('from', String(first), `1 to ${second}`, 'a consistency proof runs from a non-empty tree to one at least as large');
  }
  // SUBPROOF(m, D[lo:hi], b), unrolled: the recursion always descends into one half and appends the other half's MTH.
  const topDown: NodeId[][] = [];
  let m = first;
  let lo = 0;
  let hi = second;
  let complete = true; // RFC's b: whether D[lo:hi] is a subtree whose hash the verifier already has as first_hash
  while (m !== hi - lo) {
    const n = hi - lo;
    const k = splitPoint(n);
    if (m <= k) {
      topDown.push(rangeNodes(lo + k, hi));
      hi = lo + k;
    } else {
      topDown.push(rangeNodes(lo, lo + k));
      lo += k;
      m -= k;
      complete = false;
    }
  }
  if (!complete) topDown.push(rangeNodes(lo, hi));
  return { groups: topDown.reverse() };
}

/** The root hash of the tree of the first `size` leaves (any size up to the stored one), from stored nodes. */
export async function rootHash(size: number, reader: NodeReader): Promise<Hash> {
  if (size === 0) return emptyTreeHash();
  const ids = rootNodes(size);
  return foldRight(await reader.get(ids));
}

/** The inclusion proof of leaf `index` in the tree of `size` leaves, read from stored nodes in one call. */
export async function inclusionProof(index: number, size: number, reader: NodeReader): Promise<Hash[]> {
  const plan = inclusionPlan(index, size);
  const ids = planNodes(plan);
  return combine(plan, ids.length ? await reader.get(ids) : []);
}

/** The consistency proof from the tree of `first` leaves to the tree of `second`, read from stored nodes in one call. */
export async function consistencyProof(first: number, second: number, reader: NodeReader): Promise<Hash[]> {
  const plan = consistencyPlan(first, second);
  const ids = planNodes(plan);
  return combine(plan, ids.length ? await reader.get(ids) : []);
}

/**
 * Builds a tree leaf by leaf from its right edge, handing each newly complete node to `onNode`: the streaming core of
 * appends (start from the stored right edge) and of `log verify` (start empty; memory O(log n)).
 */
export class TreeBuilder {
  // The right edge: one complete subtree a level, as parallel arrays of HashText (see hash.ts: a string digest costs a
  // quarter of a Buffer one, and `log verify` makes two a leaf).
  readonly #levels: number[] = [];
  readonly #hashes: HashText[] = [];
  #size: number;

  /** A builder for a tree of `size` leaves whose right-edge nodes (`rootNodes(size)`, in order) are `rightEdge`. */
  constructor(size = 0, rightEdge: readonly Hash[] = [], private readonly onNode?: (node: StoredNode) => void) {
    checkSize(size, 'size');
    const ids = rangeNodes(0, size);
    if (ids.length !== rightEdge.length) {
      throw new LogError('rightEdge', `${rightEdge.length} hashes`, `${ids.length} hashes`, 'the right edge of the tree does not match its size');
    }
    ids.forEach((id, i) => {
      this.#levels.push(id.level);
      this.#hashes.push(hashText(rightEdge[i]!));
    });
    this.#size = size;
  }

  /** Number of leaves so far. */
  get size(): number {
    return this.#size;
  }

  /** Appends one leaf hash, emitting it and every node it completes. */
  push(leaf: Hash): void {
    this.pushText(hashText(leaf));
  }

  /** `push` of a leaf hash given as HashText (what `leafHashText` returns). */
  pushText(leaf: HashText): void {
    if (leaf.length !== HASH_SIZE) throw new LogError('leaf', `${leaf.length} characters`, `${HASH_SIZE}`, 'not a SHA-256 hash');
    const index = this.#size++;
    this.onNode?.({ level: 0, index, hash: hashBytes(leaf) });
    let level = 0;
    let hash = leaf;
    const levels = this.#levels;
    const hashes = this.#hashes;
    while (levels.length > 0 && levels[levels.length - 1] === level) {
      levels.pop();
      hash = nodeHashText(hashes.pop()!, hash);
      level++;
      this.onNode?.({ level, index: Math.floor(index / pow2(level)), hash: hashBytes(hash) });
    }
    levels.push(level);
    hashes.push(hash);
  }

  /** The root hash of the leaves so far (MTH of RFC 9162). */
  root(): Hash {
    const hashes = this.#hashes;
    if (hashes.length === 0) return emptyTreeHash();
    let h = hashes[hashes.length - 1]!;
    for (let i = hashes.length - 2; i >= 0; i--) h = nodeHashText(hashes[i]!, h);
    return hashBytes(h);
  }
}

/**
 * The nodes to store when `leaves` are appended to a stored tree of `size` leaves: every leaf hash (level 0) and
 * every interior node they complete. Reads only the old tree's right edge (at most log2(size) nodes, one call).
 */
export async function appendLeaves(size: number, leaves: readonly Hash[], reader: NodeReader): Promise<{ nodes: StoredNode[]; root: Hash; size: number }> {
  const edge = rootNodes(size);
  const nodes: StoredNode[] = [];
  const builder = new TreeBuilder(size, edge.length ? await reader.get(edge) : [], (n) => nodes.push(n));
  for (const leaf of leaves) builder.push(leaf);
  return { nodes, root: builder.root(), size: builder.size };
}

/**
 * Checks an inclusion proof (RFC 9162 2.1.3.2): whether `leaf` is leaf `index` of the tree of `size` leaves with
 * root `root`. False, never an exception, for any proof that does not verify.
 */
export function verifyInclusion(index: number, size: number, leaf: Hash, proof: readonly Hash[], root: Hash): boolean {
  const r = rootFromInclusionProof(index, size, leaf, proof);
  return r !== null && sameHash(r, root);
}

/** The root an inclusion proof leads to (RFC 9162 2.1.3.2 steps 1-5), or null if the proof is malformed for the sizes. */
export function rootFromInclusionProof(index: number, size: number, leaf: Hash, proof: readonly Hash[]): Hash | null {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

/**
 * Checks a consistency proof (RFC 9162 2.1.4.2): whether the tree of `first` leaves with root `firstRoot` is a prefix of
 * the tree of `second` leaves with root `secondRoot`. For first = second the proof must be empty and the roots equal.
 */
export function verifyConsistency(first: number, second: number, firstRoot: Hash, secondRoot: Hash, proof: readonly Hash[]): boolean {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 1 || first > second) return false;
  if (first === second) return proof.length === 0 && sameHash(firstRoot, secondRoot);
  if (proof.length === 0) return false;
  const path = isPow2(first) ? [firstRoot, ...proof] : proof;
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && sameHash(fr, firstRoot) && sameHash(sr, secondRoot);
}

function isPow2(n: number): boolean {
  while (n > 1 && n % 2 === 0) n /= 2;
  return n === 1;
}

/** An in-memory node store (tests, benchmarks, and the reference the SQL store is checked against): one contiguous
 *  buffer per level, so a million leaves (two million nodes) take 64 MB, not a Buffer object per node. */
export class MemoryNodeStore implements NodeReader {
  readonly #levels: { bytes: Buffer; count: number }[] = [];
  #size = 0;

  /** Number of leaves stored. */
  get size(): number {
    return this.#size;
  }

  /** The hashes of `ids`; throws a LogError for a node that is not stored. */
  get(ids: readonly NodeId[]): Promise<Hash[]> {
    try {
      return Promise.resolve(this.getNow(ids));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** The same as `get`, synchronously. */
  getNow(ids: readonly NodeId[]): Hash[] {
    return ids.map((id) => {
      const level = this.#levels[id.level];
      if (level === undefined || !(id.index >= 0 && id.index < level.count) || !Number.isInteger(id.index)) {
        throw new LogError('node', `${id.level}/${id.index}`, `nodes of a tree of ${this.#size} leaves`, 'that node is not stored');
      }
      return level.bytes.subarray(id.index * HASH_SIZE, (id.index + 1) * HASH_SIZE);
    });
  }

  /** Stores nodes (as `appendLeaves` returns them, each level filled left to right); a stored node must not change. */
  put(nodes: readonly StoredNode[]): void {
    for (const n of nodes) {
      const level = (this.#levels[n.level] ??= { bytes: Buffer.alloc(64 * HASH_SIZE), count: 0 });
      if (n.index < level.count) {
        if (!sameHash(level.bytes.subarray(n.index * HASH_SIZE, (n.index + 1) * HASH_SIZE), n.hash)) {
          throw new LogError('node', `${n.level}/${n.index}`, 'the hash already stored', 'a stored node cannot change');
        }
        continue;
      }
      if (n.index !== level.count) throw new LogError('node', `${n.level}/${n.index}`, `node ${level.count} of level ${n.level}`, 'nodes are stored left to right');
      if ((level.count + 1) * HASH_SIZE > level.bytes.length) {
        const bigger = Buffer.alloc(level.bytes.length * 2);
        level.bytes.copy(bigger);
        level.bytes = bigger;
      }
      level.bytes.set(n.hash, n.index * HASH_SIZE);
      level.count++;
      if (n.level === 0) this.#size = level.count;
    }
  }

  /** Appends leaf hashes: computes the new nodes from the stored right edge and stores them. */
  async append(leaves: readonly Hash[]): Promise<Hash> {
    const { nodes, root } = await appendLeaves(this.#size, leaves, this);
    this.put(nodes);
    return root;
  }
}
