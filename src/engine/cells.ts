// The engine's cell table: for every actor (jurisdiction, agency), request and dated segment an entry, compiled on
// first use, holding a Cell shared by every entry with the same binding provisions, and the entry's own
// not-binding provisions with their reasons.
import { instrumentsOf, jurisdictionChain, type Corpus, type Instrument, type Provision } from '../policy/corpus.js';
import type { Vocabulary } from '../vocabulary/model.js';
import { authority, levelOf, rankOf } from './authority.js';
import { FAR_PAST, type BindingView } from './binding.js';
import { Cell, effectCode, type CandidateProvision } from './cell.js';
import type { ConsideredEntry, NotBindingReason } from './decision.js';
import type { KeptEntry } from './kept.js';
import type { SegmentIndex } from './segments.js';
import type { CellRuling } from './trace.js';

/** A provision of the actor's jurisdictions that covers the request but does not bind the actor in a cell. */
export interface NotBinding {
  readonly provision: Provision;
  readonly instrument: Instrument;
  readonly jurisdiction: string;
  readonly authority: number;
  readonly reason: NotBindingReason;
}

/**
 * A compiled cell and what is built on it, by fact vector index: the ruling (typed), and per language slot its
 * encoded form. Shared by every entry with the same provisions.
 */
export interface CompiledCell {
  readonly cell: Cell;
  readonly rulings: (CellRuling | undefined)[];
  /** By language slot (DecisionEncoder.slot), then fact vector index: whatever the encoder keeps. */
  readonly encoded: unknown[][];
}

/** One actor (jurisdiction, agency), request and dated segment: a shared Cell plus what only this actor's trace needs. */
export interface CellEntry {
  readonly jurisdiction: number;
  readonly agency: number;
  readonly request: number;
  readonly segment: number;
  readonly compiled: CompiledCell;
  readonly cell: Cell;
  readonly notBinding: readonly NotBinding[];
  // The lazily built fields below are present (undefined) from the start: one object shape keeps lookups fast.
  /** The not-binding part of `considered`, typed, built on first need. */
  notBindingConsidered: readonly ConsideredEntry[] | undefined;
  /** By language slot: the encoder's form of that part. */
  readonly notBindingEncoded: unknown[];
  /** Every agency's cell for the same jurisdiction, request and segment, by agency index; shared by those entries. */
  agencyCells: readonly Cell[] | undefined;
  /** The entry's finished decisions (kept.ts), made on its first full decision; null when it keeps none. */
  kept: KeptEntry | null | undefined;
}

/** The cell table of one engine: entries by id (SegmentIndex), cells shared by their provision lists. */
export class CellTable {
  /** By pair (SegmentIndex), then agency × segments + segment; a pair's list is made on its first question. */
  private readonly entries: ((CellEntry | undefined)[] | undefined)[];
  /** Cells by the provisions they hold: actors and dates with the same binding provisions share one. */
  private readonly sharedCells = new Map<string, CompiledCell>();
  private readonly valueCounts: readonly number[];

  constructor(
    private readonly corpus: Corpus,
    private readonly vocabulary: Vocabulary,
    private readonly binding: BindingView,
    readonly segments: SegmentIndex,
  ) {
    this.entries = new Array<(CellEntry | undefined)[] | undefined>(segments.pairs).fill(undefined);
    this.valueCounts = vocabulary.facts.map((f) => f.values.length);
  }

  /** The entry of actor (j, a), request r and segment, compiled on first use. */
  entryAt(j: number, a: number, r: number, segment: number): CellEntry {
    const agencies = this.vocabulary.agencyIds.length;
    const at = j * this.vocabulary.requestIds.length + r;
    let pair = this.entries[at];
    if (!pair) pair = this.entries[at] = new Array<CellEntry | undefined>(agencies * this.segments.segmentCount(j, r)).fill(undefined);
    // The pair's array holds every agency's segments: its length gives their number without another lookup.
    const segments = pair.length / agencies;
    return (pair[a * segments + segment] ??= this.compile(j, a, r, segment));
  }

  /**
   * Drops a jurisdiction's entries, and the shared cells (entries still held keep theirs; a new entry compiles its
   * cell again), so that memory follows the jurisdictions in use.
   */
  release(j: number): void {
    const requests = this.vocabulary.requestIds.length;
    for (let r = 0; r < requests; r++) this.entries[j * requests + r] = undefined;
    this.sharedCells.clear();
  }

  /** Sorts provisions into those that can bind the actor on this segment and those that cannot. */
  private compile(j: number, a: number, r: number, segment: number): CellEntry {
    const jurisdiction = this.segments.jurisdictionIds[j]!;
    const agency = this.vocabulary.agencyIds[a]!;
    const request = this.vocabulary.requestIds[r]!;
    const local = this.segments.localBoundaries(j, r);
    const date = segment === 0 ? FAR_PAST : local[segment - 1]!;
    const bound: { provision: Provision; instrument: Instrument; level: number; authority: number }[] = [];
    const notBinding: NotBinding[] = [];
    for (const jid of jurisdictionChain(jurisdiction)) {
      const issuer = this.corpus.jurisdictions.get(jid);
      if (!issuer) continue;
      const level = levelOf[issuer.kind];
      for (const ins of instrumentsOf(this.corpus, jid)) {
        const auth = authority(level, rankOf[ins.kind]);
        for (const p of ins.provisions) {
          if (!p.requests.includes(request)) continue;
          const reason = this.binding.notBinding(ins, p, jid, jurisdiction, agency, date);
          if (reason) notBinding.push({ provision: p, instrument: ins, jurisdiction: jid, authority: auth, reason });
          else bound.push({ provision: p, instrument: ins, level, authority: auth });
        }
      }
    }
    const order = (x: { authority: number; provision: Provision }, y: { authority: number; provision: Provision }) =>
      y.authority - x.authority || (x.provision.ref < y.provision.ref ? -1 : x.provision.ref > y.provision.ref ? 1 : 0);
    bound.sort(order);
    notBinding.sort(order);
    const signature = bound.map((b) => b.provision.ref).join('\n');
    let compiled = this.sharedCells.get(signature);
    if (!compiled) {
      const cell = new Cell(this.candidates(bound), this.valueCounts);
      compiled = { cell, rulings: new Array<CellRuling | undefined>(cell.size), encoded: [] };
      this.sharedCells.set(signature, compiled);
    }
    return {
      jurisdiction: j, agency: a, request: r, segment, compiled, cell: compiled.cell, notBinding,
      notBindingConsidered: undefined, notBindingEncoded: [], agencyCells: undefined, kept: undefined,
    };
  }

  /** The binding provisions as the cell reads them: conditions as fact masks, exceptions and voids as indices and bits. */
  private candidates(bound: readonly { provision: Provision; instrument: Instrument; level: number; authority: number }[]): CandidateProvision[] {
    const position = new Map(bound.map((b, i) => [b.provision.ref, i]));
    return bound.map((b) => ({
      ...b,
      effect: effectCode[b.provision.effect],
      alternatives: b.provision.when.map((cond) => {
        const flat: number[] = [];
        for (const [factId, values] of Object.entries(cond)) {
          const fact = this.vocabulary.fact(factId)!;
          let mask = 0;
          for (const v of values) mask |= 1 << fact.values.findIndex((x) => x.id === v);
          flat.push(fact.index, mask);
        }
        return Int32Array.from(flat);
      }),
      defeats: b.provision.exceptionTo.map((ref) => position.get(ref)).filter((i): i is number => i !== undefined),
      voids: b.provision.voids.reduce((m, e) => m | (1 << effectCode[e]), 0),
    }));
  }
}
