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
  /** By language slot (DecisionEncoder.slot): the decisions by key index. */
  readonly bySlot: (Map<number, Decision> | undefined)[] = [];
  /** Whether the engine's KeptDecisions lists it (it holds, or held since the last clear, a decision). */
  listed = false;

  constructor(
    /** The entry's jurisdiction index, so that releasing a jurisdiction drops what it kept. */
    readonly jurisdiction: number,
    /** Vocabulary fact indices the key reads, ascending. */
    readonly facts: Int32Array,
    /** Mixed-radix strides of the key: value index + 1, 0 meaning unknown. */
    readonly stride: Int32Array,
  ) {}

  /** The key of a fact vector (-1 = unknown): below 2^30, so a small integer, which a Map hashes without boxing. */
  index(facts: Int8Array): number {
    let idx = 0;
    const read = this.facts, stride = this.stride;
    for (let k = 0; k < read.length; k++) idx = (idx + stride[k]! * (facts[read[k]!]! + 1)) | 0;
    return idx;
  }

  /** How many decisions it holds, every language together. */
  get size(): number {
    let n = 0;
    for (const m of this.bySlot) if (m) n += m.size;
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
  const facts = Int32Array.from([...read].sort((a, b) => a - b));
  const stride = new Int32Array(facts.length);
  let size = 1;
  for (let k = 0; k < facts.length; k++) {
    stride[k] = size;
    size *= valueCounts[facts[k]!]! + 1;
    if (size >= 2 ** 30) return undefined;
  }
  return new KeptEntry(jurisdiction, facts, stride);
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
    const map = (entry.bySlot[slot] ??= new Map<number, Decision>());
    const before = map.size;
    map.set(key, decision);
    this.count += map.size - before;
  }

  /** Drops every kept decision. */
  clear(): void {
    for (const h of this.holders) {
      h.bySlot.length = 0;
      h.listed = false;
    }
    this.holders.length = 0;
    this.count = 0;
  }

  /** Drops what a jurisdiction's entries kept (the engine forgets those entries: `releaseJurisdiction`). */
  release(jurisdiction: number): void {
    let w = 0;
    for (const h of this.holders) {
      if (h.jurisdiction === jurisdiction) {
        this.count -= h.size;
        h.bySlot.length = 0;
        h.listed = false;
      } else this.holders[w++] = h;
    }
    this.holders.length = w;
  }
}
