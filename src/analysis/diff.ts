// `trustrules diff`: every scenario whose outcome differs between two sides (two jurisdictions, two dates, or the law
// and a what-if), exactly, and a short readable summary of the differences.
import type { Outcome } from '../engine/decision.js';
import type { Scenario, ScenarioJson } from '../vocabulary/scenario.js';
import type { Vocabulary } from '../vocabulary/model.js';
import {
  agenciesOf, coverCubes, cubeCondition, decided, emptyFacts, multiplicity, points, requestsOf, scenarioOf, unionFacts,
  type Condition, type Selection, type Side,
} from './space.js';

/** A group of scenarios whose outcome differs between the two sides, with what governs on each side. */
export interface DiffRow {
  readonly agency: string;
  readonly request: string;
  /** Fact vector (-1: not read by either side, so any value gives the same two outcomes). */
  readonly facts: Int8Array;
  /** The fact positions enumerated for this agency and request (read by one side or both). */
  readonly read: readonly number[];
  /** Relevant facts read by neither side. */
  readonly any: readonly string[];
  /** Concrete scenarios the row stands for. */
  readonly count: number;
  readonly a: Outcome;
  readonly b: Outcome;
}

/** The scenario on side A (or B): the row's facts, that side's actor jurisdiction and date. */
export function rowScenario(side: Side, row: DiffRow): Scenario {
  return scenarioOf(side.jurisdiction, row.agency, row.request, side.date, row.facts);
}

/**
 * Every fact vector (over the facts either side reads) whose outcome differs between the sides, per agency and request
 * in vocabulary order. `keep` picks the pairs of outcomes to report (default: any two different ones).
 */
export function* diffRows(A: Side, B: Side, sel: Selection = {}, keep: (a: Outcome, b: Outcome) => boolean = (a, b) => a !== b): Generator<DiffRow> {
  const vocab = A.engine.vocabulary;
  const base = emptyFacts(vocab);
  for (const agency of agenciesOf(vocab, sel)) {
    for (const request of requestsOf(vocab, sel)) {
      // Only actors both sides have: a county policed by its sheriff has no police to compare.
      if (!A.engine.offers(A.jurisdiction, agency, request) || !B.engine.offers(B.jurisdiction, agency, request)) continue;
      const read = unionFacts(
        A.engine.factsRead(A.jurisdiction, agency, request, A.date),
        B.engine.factsRead(B.jurisdiction, agency, request, B.date),
      );
      const anyFacts = vocab.factsFor(request).map((f) => f.index).filter((f) => !read.includes(f));
      const any = anyFacts.map((f) => vocab.facts[f]!.id);
      const count = multiplicity(vocab, anyFacts);
      const sa: { -readonly [K in keyof Scenario]: Scenario[K] } = scenarioOf(A.jurisdiction, agency, request, A.date, base);
      const sb: { -readonly [K in keyof Scenario]: Scenario[K] } = scenarioOf(B.jurisdiction, agency, request, B.date, base);
      for (const p of points(vocab, read, base)) {
        sa.facts = p;
        sb.facts = p;
        const a = A.engine.outcome(sa);
        const b = B.engine.outcome(sb);
        if (a !== b && keep(a, b)) yield { agency, request, facts: Int8Array.from(p), read, any, count, a, b };
      }
    }
  }
}

/** A diff row as the JSON output writes it (scenario in contract form). */
export interface DiffRowJson {
  scenario: ScenarioJson;
  a: Outcome;
  b: Outcome;
  a_governing: string[];
  b_governing: string[];
  any: readonly string[];
  count: number;
}

/** A diff row in its JSON form. */
export function diffRowJson(A: Side, B: Side, row: DiffRow): DiffRowJson {
  const sa = rowScenario(A, row);
  return {
    scenario: A.engine.codec.toJson(sa),
    a: row.a,
    b: row.b,
    a_governing: decided(A.engine, sa).governing,
    b_governing: decided(B.engine, rowScenario(B, row)).governing,
    any: row.any,
    count: row.count,
  };
}

/** How the surfaces word a diff for a person (the presentation layer, in the language asked for). */
export interface DiffWords {
  /** A side's name: "Frederick County on 2025-06-01". */
  side(side: Side): string;
  /** One summary group as a sentence. */
  group(A: Side, B: Side, group: DiffGroup): string;
}

/** A side as JSON: its jurisdiction, date, what-if, and (with words) its name. */
export function sideJson(side: Side, words?: DiffWords) {
  const assumptions = side.engine.assumptions;
  return {
    jurisdiction: side.jurisdiction, date: side.date, ...(words ? { label: words.side(side) } : {}),
    ...(side.name.adopted ? { adopted: side.name.adopted } : {}), ...(assumptions ? { assumptions } : {}),
  };
}

/**
 * `{"a": side, "b": side, "differences": [...], "summary": [...]}`, streamed row by row. Each summary group carries
 * its typed condition (`when`) and, with words, a `text` sentence.
 */
export function* diffJson(A: Side, B: Side, rows: Iterable<DiffRow>, words?: DiffWords): Generator<string> {
  yield `{"a": ${JSON.stringify(sideJson(A, words))},\n"b": ${JSON.stringify(sideJson(B, words))},\n"differences": [`;
  const summary = new DiffSummarizer();
  let first = true;
  for (const r of rows) {
    summary.add(r);
    yield `${first ? '\n' : ',\n'}${JSON.stringify(diffRowJson(A, B, r))}`;
    first = false;
  }
  const groups = summary.groups(A.engine.vocabulary).map((g) => (words ? { ...g, text: words.group(A, B, g) } : g));
  yield `\n],\n"total": ${summary.total},\n"summary": ${JSON.stringify(groups, null, 1)}}\n`;
}

// ---- the summary ----

/** Scenarios that differ the same way, for the same request and the same agencies. */
export interface DiffGroup {
  readonly request: string;
  readonly agencies: readonly string[];
  readonly a: Outcome;
  readonly b: Outcome;
  /** The scenarios, in positive terms: each fact named takes one of the values listed; any other fact may be anything. */
  readonly when: Condition;
  /** Concrete scenarios per agency. */
  readonly scenarios: number;
}

/** Collects diff rows (keeping only their fact values) and merges them into groups a person can read. */
export class DiffSummarizer {
  private readonly cells = new Map<string, { agency: string; request: string; a: Outcome; b: Outcome; read: readonly number[]; count: number; points: number[][] }>();
  /** Concrete scenarios that differ, over every row added. */
  total = 0;
  /** Rows added. */
  rows = 0;

  add(row: DiffRow): void {
    const key = `${row.agency}|${row.request}|${row.a}|${row.b}`;
    let cell = this.cells.get(key);
    if (!cell) {
      cell = { agency: row.agency, request: row.request, a: row.a, b: row.b, read: row.read, count: row.count, points: [] };
      this.cells.set(key, cell);
    }
    cell.points.push(row.read.map((f) => row.facts[f]!));
    this.total += row.count;
    this.rows++;
  }

  /** The groups in vocabulary request order, those covering most agencies and scenarios first. */
  groups(vocab: Vocabulary): DiffGroup[] {
    const merged = new Map<string, { request: string; a: Outcome; b: Outcome; when: Condition; agencies: string[]; scenarios: number }>();
    for (const c of this.cells.values()) {
      for (const { cube, count } of coverCubes(c.points, c.read.map((f) => vocab.facts[f]!.values.length))) {
        const when = cubeCondition(vocab, c.read, cube);
        const scenarios = count * c.count;
        const key = `${c.request}|${c.a}|${c.b}|${JSON.stringify(when)}|${scenarios}`;
        const g = merged.get(key) ?? { request: c.request, a: c.a, b: c.b, when, agencies: [], scenarios };
        g.agencies.push(c.agency);
        merged.set(key, g);
      }
    }
    const requestOrder = new Map(vocab.requestIds.map((r, i) => [r, i]));
    return [...merged.values()].sort(
      (x, y) => requestOrder.get(x.request)! - requestOrder.get(y.request)! || y.agencies.length - x.agencies.length || y.scenarios - x.scenarios,
    );
  }
}
