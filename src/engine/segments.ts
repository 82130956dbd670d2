// The index arithmetic of the engine's cell table: each (jurisdiction, request) pair's dated segments, cut only on
// the dates its chain's instruments on that request change, and where each actor's entries sit in their pair's array.
import { instrumentsOf, jurisdictionChain, type Corpus } from '../policy/corpus.js';
import { calendarDay } from '../vocabulary/dates.js';
import type { BindingView } from './binding.js';

/**
 * Entries are laid out pair by pair (jurisdiction j, request r at `pair = j × requests + r`); within a pair, agency
 * by agency, each agency holding one entry per segment (boundaries + 1). So an entry sits at
 * `[pair][a × (boundaries + 1) + segment]`, and a date's segment is the number of boundaries ≤ it.
 *
 * Nothing is computed for the whole corpus up front: a jurisdiction's segments are cut the first time a question
 * reaches it, from its chain's folders alone (`instrumentsOf`), so that with a corpus loaded lazily the cost follows
 * the question, not the size of the corpus (issue 13 item 10). `boundaries`, over the whole corpus, is for analyses.
 * Each pair's boundaries are also kept as calendar days (dates.ts `calendarDay`): a decision's segment is found by
 * comparing numbers, not strings.
 */
export class SegmentIndex {
  /** Number of (jurisdiction, request) pairs. */
  readonly pairs: number;
  private allBoundaries: readonly string[] | undefined;
  private readonly local: (readonly string[] | undefined)[];
  /** `local` as calendar days, pair by pair. */
  private readonly localDays: (Int32Array | undefined)[];

  constructor(
    private readonly corpus: Corpus,
    private readonly binding: BindingView,
    readonly jurisdictionIds: readonly string[],
    readonly requestIds: readonly string[],
    readonly agencyCount: number,
  ) {
    this.pairs = jurisdictionIds.length * requestIds.length;
    this.local = new Array<readonly string[] | undefined>(this.pairs).fill(undefined);
    this.localDays = new Array<Int32Array | undefined>(this.pairs).fill(undefined);
  }

  /** Every date on which some instrument's status, interval or provision window changes, ascending (whole corpus). */
  get boundaries(): readonly string[] {
    if (!this.allBoundaries) {
      const dates = new Set<string>();
      for (const ins of this.corpus.instruments.values()) for (const d of this.binding.datesOf(ins)) dates.add(d);
      this.allBoundaries = [...dates].sort();
    }
    return this.allBoundaries;
  }

  /** The first day of segments 1…n of a (jurisdiction, request) pair, by index; segment 0 starts in the far past. */
  localBoundaries(j: number, r: number): readonly string[] {
    const known = this.local[j * this.requestIds.length + r];
    if (known) return known;
    // Actors share entries for as long as nothing that could decide their question changes.
    const chain = jurisdictionChain(this.jurisdictionIds[j]!).flatMap((c) => instrumentsOf(this.corpus, c));
    this.requestIds.forEach((request, q) => {
      const dates = [...new Set(chain.flatMap((ins) => this.binding.datesOf(ins, request)))].sort();
      this.local[j * this.requestIds.length + q] = dates;
      this.localDays[j * this.requestIds.length + q] = Int32Array.from(dates, (d) => {
        const day = calendarDay(d);
        if (day < 0) throw new Error(`${this.jurisdictionIds[j]}: a date of its chain on ${request} is not a calendar date: ${JSON.stringify(d)}`);
        return day;
      });
    });
    return this.local[j * this.requestIds.length + r]!;
  }

  /** Forgets a jurisdiction's segments (cut again from its chain when next asked for). */
  release(j: number): void {
    for (let q = 0; q < this.requestIds.length; q++) {
      this.local[j * this.requestIds.length + q] = undefined;
      this.localDays[j * this.requestIds.length + q] = undefined;
    }
  }

  /** The segment of a (jurisdiction, request) pair holding `date`. */
  segment(j: number, r: number, date: string): number {
    const day = calendarDay(date);
    // A text that is no calendar date (only an unvalidated scenario has one) is placed as the strings compare.
    return day < 0 ? segmentOf(date, this.localBoundaries(j, r)) : this.segmentOfDay(j, r, day);
  }

  /** The segment of a (jurisdiction, request) pair holding a calendar day (`calendarDay`). */
  segmentOfDay(j: number, r: number, day: number): number {
    const pair = j * this.requestIds.length + r;
    let b = this.localDays[pair];
    if (!b) {
      this.localBoundaries(j, r);
      b = this.localDays[pair]!;
    }
    let lo = 0, hi = b.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (b[mid]! <= day) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The number of dated segments of a (jurisdiction, request) pair: its entries hold that many per agency. */
  segmentCount(j: number, r: number): number {
    return this.localBoundaries(j, r).length + 1;
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
