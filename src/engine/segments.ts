// The index arithmetic of the engine's cell table: each (jurisdiction, request) pair's dated segments, cut only on
// the dates its chain's instruments on that request change, and where each actor's entries sit in one flat array.
import { jurisdictionChain, type Corpus, type Instrument } from '../policy/corpus.js';
import type { BindingView } from './binding.js';

/**
 * Entries are laid out pair by pair (jurisdiction j, request r at `j × requests + r`); within a pair, agency by
 * agency, each agency holding one entry per segment (boundaries + 1). So an entry's id is
 * `offset[j × R + r] + a × (boundaries + 1) + segment`, and a date's segment is the number of boundaries ≤ it.
 */
export class SegmentIndex {
  /** Every date on which some instrument's status, interval or provision window changes, ascending. */
  readonly boundaries: readonly string[];
  /** Total number of entries (every actor, request and segment). */
  readonly size: number;
  private readonly local: readonly (readonly string[])[];
  private readonly offset: readonly number[];

  constructor(
    corpus: Corpus,
    binding: BindingView,
    readonly jurisdictionIds: readonly string[],
    readonly requestIds: readonly string[],
    readonly agencyCount: number,
    byJurisdiction: ReadonlyMap<string, readonly Instrument[]>,
  ) {
    const dates = new Set<string>();
    for (const ins of corpus.instruments.values()) for (const d of binding.datesOf(ins)) dates.add(d);
    this.boundaries = [...dates].sort();
    // Actors share entries for as long as nothing that could decide their question changes.
    this.local = jurisdictionIds.flatMap((jid) => {
      const chain = jurisdictionChain(jid).flatMap((c) => byJurisdiction.get(c) ?? []);
      return requestIds.map((request) => [...new Set(chain.flatMap((ins) => binding.datesOf(ins, request)))].sort());
    });
    let size = 0;
    this.offset = this.local.map((b) => {
      const at = size;
      size += agencyCount * (b.length + 1);
      return at;
    });
    this.size = size;
  }

  /** The first day of segments 1…n of a (jurisdiction, request) pair, by index; segment 0 starts in the far past. */
  localBoundaries(j: number, r: number): readonly string[] {
    return this.local[j * this.requestIds.length + r]!;
  }

  /** The segment of a (jurisdiction, request) pair holding `date`. */
  segment(j: number, r: number, date: string): number {
    return segmentOf(date, this.localBoundaries(j, r));
  }

  /** The entry id of an actor (j, a), request r and segment. */
  entryId(j: number, a: number, r: number, segment: number): number {
    const at = j * this.requestIds.length + r;
    return this.offset[at]! + a * (this.local[at]!.length + 1) + segment;
  }
}

/** Index of the dated segment holding `date`: the number of boundaries on or before it (binary search). */
export function segmentOf(date: string, b: readonly string[]): number {
  let lo = 0, hi = b.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (b[mid]! <= date) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
