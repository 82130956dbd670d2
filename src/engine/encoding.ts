// Decisions as UTF-8 JSON, per language: each cell ruling's words and bytes are made once per language and shared,
// so a decision is a few copied byte ranges (the speed of `decide --jsonl` and the batch API rests on this).
import type { CellEntry, CompiledCell } from './cells.js';
import type { ConsideredEntry, ConsideredProvision, DecisionWords, GoverningProvision, WouldChange } from './decision.js';
import { deepFreeze, joined, notBindingConsidered, type AgencyChanges, type CellRuling } from './trace.js';

const utf8 = new TextEncoder();

/** UTF-8 bytes of a text. */
export function encodeText(text: string): Uint8Array {
  return utf8.encode(text);
}

/** A cell ruling in one language: its words, and its JSON in three pieces around the actor's own parts. */
export interface WordedCell {
  readonly summary: string;
  readonly governing: readonly GoverningProvision[];
  readonly considered: readonly ConsideredProvision[];
  /** `{"outcome":…,"considered":[<binding items>` */
  readonly head: Uint8Array;
  /** `],"would_change":[<fact changes>` */
  readonly middle: Uint8Array;
  /** `],"depends_on":…,"policy_version":…}` */
  readonly tail: Uint8Array;
  /** Whether the binding part of `considered` and the fact part of `would_change` are non-empty (for commas). */
  readonly hasConsidered: boolean;
  readonly hasFactChanges: boolean;
}

/** An entry's not-binding trace in one language, and its JSON array items (no brackets). */
export interface WordedNotBinding {
  readonly considered: readonly ConsideredProvision[];
  readonly bytes: Uint8Array;
}

/** Where an encoded decision's pieces go, in order (an array will do; so will a chunked stream writer). */
export interface ByteSink {
  push(bytes: Uint8Array): void;
}

/** Distinct JSON fragments kept for sharing; past this, new fragments are used once and not kept. */
const INTERN_LIMIT = 50_000;
const COMMA = encodeText(',');

/** A considered entry with its words, keys in the contract's order (`why` before `reason`). */
export function wordedEntry(e: ConsideredEntry, words: DecisionWords): ConsideredProvision {
  return {
    instrument: e.instrument, provision: e.provision, jurisdiction: e.jurisdiction, effect: e.effect,
    binding: e.binding, role: e.role, why: words.why(e.reason, e.instrument), reason: e.reason,
  };
}

/** JSON array items without the brackets: the pieces decisions are spliced from. */
function jsonItems(list: readonly unknown[]): string {
  return list.map((x) => JSON.stringify(x)).join(',');
}

/** The encoder of one engine: language slots, and the shared fragments of every language. */
export class DecisionEncoder {
  private readonly slots = new Map<DecisionWords, number>();
  private lastWords: DecisionWords | undefined;
  private lastSlot = -1;
  /** JSON fragments by their text, so entries that say the same thing share one copy. */
  private readonly interned = new Map<string, Uint8Array>();
  /** `actor.agency` changes as JSON items, by AgencyChanges.key (language-free). */
  private readonly agencyBytes = new Map<number, Uint8Array>();
  /**
   * By language slot: each not-binding item worded once, with its JSON, by what it says. The same vetoed bill or
   * advisory letter recurs in the trace of nearly every entry of its chain; wording it per entry was most of the cost
   * of a first decision.
   */
  private readonly notBindingItems: Map<string, { readonly worded: ConsideredProvision; readonly json: string }>[] = [];

  /** `versionText`: the decision's last piece after depends_on (policy version, assumptions, closing brace). */
  constructor(private readonly versionText: string) {}

  /** The slot a language's words are kept under (one per DecisionWords object). */
  slot(words: DecisionWords): number {
    if (words === this.lastWords) return this.lastSlot;
    let slot = this.slots.get(words);
    if (slot === undefined) {
      slot = this.slots.size;
      this.slots.set(words, slot);
    }
    this.lastWords = words;
    this.lastSlot = slot;
    return slot;
  }

  /** The ruling of `compiled` at `index`, worded and encoded once per language. */
  cell(compiled: CompiledCell, index: number, ruling: CellRuling, words: DecisionWords, slot: number): WordedCell {
    const bySlot = (compiled.encoded[slot] ??= new Array<unknown>(compiled.cell.size)) as (WordedCell | undefined)[];
    return (bySlot[index] ??= this.wordCell(ruling, words));
  }

  private wordCell(r: CellRuling, words: DecisionWords): WordedCell {
    const summary = words.summary(r.summary, r.dependsOn);
    const governing = r.governing.map((g, i) => ({ ...g, instruction: words.instruction(r.governingProvisions[i]!) }));
    const considered = r.considered.map((e) => wordedEntry(e, words));
    const head = `{"outcome":${JSON.stringify(r.outcome)},"summary":${JSON.stringify(summary)},"governing":${JSON.stringify(governing)},"considered":[${jsonItems(considered)}`;
    const middle = `],"would_change":[${jsonItems(r.factChanges)}`;
    const tail = `],"depends_on":${JSON.stringify(r.dependsOn)}${this.versionText}`;
    return deepFreeze({
      summary, governing, considered,
      head: encodeText(head), middle: encodeText(middle), tail: encodeText(tail),
      hasConsidered: considered.length > 0, hasFactChanges: r.factChanges.length > 0,
    });
  }

  /** An entry's not-binding trace, worded and encoded once per language. */
  notBinding(entry: CellEntry, words: DecisionWords, slot: number): WordedNotBinding {
    const cached = entry.notBindingEncoded[slot] as WordedNotBinding | undefined;
    if (cached) return cached;
    const items = (this.notBindingItems[slot] ??= new Map());
    const considered: ConsideredProvision[] = [];
    let json = '';
    for (const e of notBindingConsidered(entry)) {
      const key = `${e.instrument}\0${e.provision}\0${e.jurisdiction}\0${JSON.stringify(e.reason)}`;
      let item = items.get(key);
      if (!item) {
        const worded = deepFreeze(wordedEntry(e, words));
        item = { worded, json: JSON.stringify(worded) };
        items.set(key, item);
      }
      considered.push(item.worded);
      json = json ? `${json},${item.json}` : item.json;
    }
    const worded = deepFreeze({ considered, bytes: this.intern(json) });
    entry.notBindingEncoded[slot] = worded;
    return worded;
  }

  /** The `actor.agency` changes as JSON array items. */
  agency(changes: AgencyChanges): Uint8Array {
    let bytes = this.agencyBytes.get(changes.key);
    if (!bytes) {
      bytes = encodeText(jsonItems(changes.list));
      this.agencyBytes.set(changes.key, bytes);
    }
    return bytes;
  }

  /** Pushes a decision's pieces: the cell's, the actor's not-binding trace and the agency changes, with commas. */
  write(cell: WordedCell, notBinding: WordedNotBinding, agencyChanges: AgencyChanges, out: ByteSink): void {
    out.push(cell.head);
    if (notBinding.bytes.length) {
      if (cell.hasConsidered) out.push(COMMA);
      out.push(notBinding.bytes);
    }
    out.push(cell.middle);
    if (agencyChanges.list.length) {
      if (cell.hasFactChanges) out.push(COMMA);
      out.push(this.agency(agencyChanges));
    }
    out.push(cell.tail);
  }

  /** One shared UTF-8 copy of a fragment that recurs. */
  private intern(text: string): Uint8Array {
    let bytes = this.interned.get(text);
    if (!bytes) {
      bytes = encodeText(text);
      if (this.interned.size < INTERN_LIMIT) this.interned.set(text, bytes);
    }
    return bytes;
  }
}

/** The `would_change` of a decision (frozen): the cell's fact changes then the agency changes. */
export function wouldChange(r: CellRuling, agencyChanges: AgencyChanges): readonly WouldChange[] {
  return joined(r.factChanges, agencyChanges.list);
}

const [OPEN_BRACKET, CLOSE_BRACKET] = [encodeText('['), encodeText(']')];

/** Items written as one JSON array to `out`: `[`, each item's pieces (as `write` pushes them), `,` between, `]`. */
export function writeJsonArray<T>(items: readonly T[], write: (item: T, out: ByteSink) => void, out: ByteSink): void {
  out.push(OPEN_BRACKET);
  for (let i = 0; i < items.length; i++) {
    if (i) out.push(COMMA);
    write(items[i]!, out);
  }
  out.push(CLOSE_BRACKET);
}

/** Concatenates byte pieces into one array. */
export function concatBytes(pieces: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of pieces) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
