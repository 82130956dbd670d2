// Finished decisions kept for reuse: per entry, the frozen Decision objects already built, indexed by the facts the
// decision reads (its own cell's and every offered agency's), per language; bounded per engine, then cleared.
import type { Cell } from './cell.js';
import type { Decision } from './decision.js';

/** How many finished decisions an engine keeps at most, all entries and languages together, unless told otherwise. */
export const KEPT_DECISIONS_LIMIT = 250_000;

/**
 * One entry's finished decisions. A full decision of an entry (one actor, request and dated segment, under the
 * engine's what-if) is a function of the fact vector through its own cell's index and the index of each other agency
 * whose outcome `would_change` reads, and of the language: so the vector is keyed by the union of those cells' read
 * facts (mixed radix, as a cell's own index is), and each language slot has its own map. Facts no such cell reads
 * cannot change the decision, and so are not in the key.
 */
export class KeptEntry {
  // Language slots 0 and 1 (the first two languages asked: en and es) are fields, the rest a list: a hit then reads
  // this object, its key and one map, the fewest cache lines (a kept decision is a memory-bound lookup).
  /** Decisions of language slot 0 by key index. */
  slot0: Map<number, Decision> | undefined = undefined;
  /** Decisions of language slot 1 by key index. */
  slot1: Map<number, Decision> | undefined = undefined;
  /** Decisions of language slots 2 and up, by slot − 2. */
  more: (Map<number, Decision> | undefined)[] | undefined = undefined;
  /** Whether the engine's KeptDecisions lists it (it holds, or held since the last clear, a decision). */
  listed = false;

  constructor(
    /** The entry's jurisdiction index, so that releasing a jurisdiction drops what it kept. */
    readonly jurisdiction: number,
    /**
     * The key's facts and strides interleaved: [fact, stride, fact, stride, …], facts ascending (vocabulary fact
     * indices), strides mixed radix (value index + 1, 0 meaning unknown).
     */
    readonly key: Int32Array,
  ) {}

  /** The vocabulary fact indices the key reads, ascending. */
  get facts(): number[] {
    const out: number[] = [];
    for (let k = 0; k < this.key.length; k += 2) out.push(this.key[k]!);
    return out;
  }

  /** The key of a fact vector (-1 = unknown): below 2^30, so a small integer, which a Map hashes without boxing. */
  index(facts: Int8Array): number {
    let idx = 0;
    const key = this.key;
    for (let k = 0; k < key.length; k += 2) idx = (idx + key[k + 1]! * (facts[key[k]!]! + 1)) | 0;
    return idx;
  }

  /** The decisions of a language slot, if any are kept. */
  map(slot: number): Map<number, Decision> | undefined {
    return slot === 0 ? this.slot0 : slot === 1 ? this.slot1 : this.more?.[slot - 2];
  }

  /** The decisions of a language slot, made when first needed. */
  mapToFill(slot: number): Map<number, Decision> {
    if (slot === 0) return (this.slot0 ??= new Map());
    if (slot === 1) return (this.slot1 ??= new Map());
    return ((this.more ??= [])[slot - 2] ??= new Map());
  }

  /** Drops every decision it holds. */
  drop(): void {
    this.slot0 = this.slot1 = this.more = undefined;
    this.listed = false;
  }

  /** How many decisions it holds, every language together. */
  get size(): number {
    let n = (this.slot0?.size ?? 0) + (this.slot1?.size ?? 0);
    for (const m of this.more ?? []) if (m) n += m.size;
    return n;
  }
}

/**
 * The key of an entry's decisions: the read facts of the cells given (the actor's own and the agencies whose outcome
 * its decision reads), or undefined when their product of value counts reaches 2^30, past the small integers (never
 * met in the Maryland corpus, whose widest key is far below: then nothing is kept for that entry).
 */
export function keptEntryFor(jurisdiction: number, cells: readonly Cell[], valueCounts: readonly number[]): KeptEntry | undefined {
  const read = new Set<number>();
  for (const cell of cells) for (const f of cell.readFacts) read.add(f);
  const facts = [...read].sort((a, b) => a - b);
  const key = new Int32Array(2 * facts.length);
  let size = 1;
  for (let k = 0; k < facts.length; k++) {
    key[2 * k] = facts[k]!;
    key[2 * k + 1] = size;
    size *= valueCounts[facts[k]!]! + 1;
    if (size >= 2 ** 30) return undefined;
  }
  return new KeptEntry(jurisdiction, key);
}

/**
 * The engine's count of kept decisions and the entries holding them. Past the limit everything kept is dropped at
 * once and the table fills again from what is asked next: a clear costs one pass over the entries that held
 * something, and a stream of distinct questions larger than the limit still has its memory bounded.
 */
export class KeptDecisions {
  private count = 0;
  private readonly holders: KeptEntry[] = [];

  constructor(readonly limit: number = KEPT_DECISIONS_LIMIT) {
    if (!Number.isInteger(limit) || limit < 0) throw new Error(`the kept decisions' limit must be a whole number ≥ 0; got ${limit}`);
  }

  /** How many decisions are kept now, every entry and language together (never more than `limit`). */
  get size(): number {
    return this.count;
  }

  /** Keeps a finished decision under an entry's key in a language slot (clearing everything first at the limit). */
  keep(entry: KeptEntry, slot: number, key: number, decision: Decision): void {
    if (this.limit === 0) return;
    if (this.count >= this.limit) this.clear();
    if (!entry.listed) {
      entry.listed = true;
      this.holders.push(entry);
    }
    const map = entry.mapToFill(slot);
    const before = map.size;
    map.set(key, decision);
    this.count += map.size - before;
  }

  /** Drops every kept decision. */
  clear(): void {
    for (const h of this.holders) h.drop();
    this.holders.length = 0;
    this.count = 0;
  }

  /** Drops what a jurisdiction's entries kept (the engine forgets those entries: `releaseJurisdiction`). */
  release(jurisdiction: number): void {
    let w = 0;
    for (const h of this.holders) {
      if (h.jurisdiction === jurisdiction) {
        this.count -= h.size;
        h.drop();
      } else this.holders[w++] = h;
    }
    this.holders.length = w;
  }
}
