// `trustrules table`: every relevant combination of facts for a jurisdiction on a date, and what `decide` says of it.
import type { Engine } from '../engine/engine.js';
import type { Outcome } from '../engine/decision.js';
import type { Scenario } from '../vocabulary/scenario.js';
import {
  agenciesOf, coverCubes, cubeCondition, cubePoints, decided, emptyFacts, multiplicity, points, requestsOf, scenarioOf, unionFacts,
  type Condition, type Selection,
} from './space.js';

/** One row of a table: a scenario (facts not read are left out), its outcome, what governs, and how many concrete scenarios it stands for. */
export interface TableRow {
  /**
   * The scenario. Compressed rows give only the facts the engine reads for this actor, request and date; the
   * request's other relevant facts (listed in `any`) are left out because no value of them changes the decision.
   * `decide` on this scenario, or on any filling-in of the `any` facts, returns `outcome` and `governing`.
   */
  readonly scenario: Scenario;
  readonly any: readonly string[];
  readonly outcome: Outcome;
  readonly governing: readonly string[];
  /** Concrete scenarios (every relevant fact known) this row stands for. */
  readonly count: number;
}

/** What a table covers: the selection, and whether rows are fully concrete (`expand`). */
export interface TableOptions extends Selection {
  /** Fully concrete rows: every relevant fact given, none left as "any". */
  readonly expand?: boolean | undefined;
}

/**
 * The table rows for each jurisdiction on a date, per agency and request, in vocabulary order: only the agencies
 * the jurisdiction has, and only the requests each can be asked to do (Engine.offers). Streams: nothing is
 * kept once yielded (the engine's own per-cell memo aside).
 */
export function* tableRows(engine: Engine, jurisdictions: readonly string[], date: string, opts: TableOptions = {}): Generator<TableRow> {
  const vocab = engine.vocabulary;
  const base = emptyFacts(vocab);
  for (const jurisdiction of jurisdictions) {
    for (const agency of agenciesOf(vocab, opts)) {
      for (const request of requestsOf(vocab, opts)) {
        if (!engine.offers(jurisdiction, agency, request)) continue;
        const relevant = vocab.factsFor(request).map((f) => f.index);
        const read = unionFacts(engine.factsRead(jurisdiction, agency, request, date));
        const anyFacts = relevant.filter((f) => !read.includes(f));
        const any = anyFacts.map((f) => vocab.facts[f]!.id);
        const count = multiplicity(vocab, anyFacts);
        for (const p of points(vocab, read, base)) {
          const s = scenarioOf(jurisdiction, agency, request, date, Int8Array.from(p));
          const d = decided(engine, s);
          if (!opts.expand) {
            yield { scenario: s, any, outcome: d.outcome, governing: d.governing, count };
            continue;
          }
          for (const q of points(vocab, anyFacts, p)) {
            yield { scenario: scenarioOf(jurisdiction, agency, request, date, Int8Array.from(q)), any: [], outcome: d.outcome, governing: d.governing, count: 1 };
          }
        }
      }
    }
  }
}

// ---- output formats: each a generator of text chunks, so callers stream them ----

/**
 * How many rows the expanded table has (every relevant fact given): per jurisdiction, agency it has and request
 * that agency performs, the product of the relevant facts' value counts. Known without deciding anything, so a
 * request can be bounded before it runs.
 */
export function expandedRowCount(engine: Engine, jurisdictions: readonly string[], opts: Selection = {}): number {
  const vocab = engine.vocabulary;
  let rows = 0;
  for (const jurisdiction of jurisdictions) {
    for (const agency of agenciesOf(vocab, opts)) {
      for (const request of requestsOf(vocab, opts)) {
        if (engine.offers(jurisdiction, agency, request)) rows += multiplicity(vocab, vocab.factsFor(request).map((f) => f.index));
      }
    }
  }
  return rows;
}

/** The rows as streamed JSON text: {"rows": [...]}. */
export function* tableJson(engine: Engine, rows: Iterable<TableRow>, expand: boolean): Generator<string> {
  yield '{"rows": [';
  let first = true;
  for (const r of rows) {
    const row = expand
      ? { scenario: engine.codec.toJson(r.scenario), outcome: r.outcome, governing: r.governing }
      : { scenario: engine.codec.toJson(r.scenario), outcome: r.outcome, governing: r.governing, any: r.any, count: r.count };
    yield `${first ? '\n' : ',\n'}${JSON.stringify(row)}`;
    first = false;
  }
  yield '\n]}\n';
}

/** RFC 4180 field quoting. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) || /^[=+\-@]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * One row per line: jurisdiction, agency, request, date, then every vocabulary fact (its value id; `any` when it is
 * relevant but cannot change the outcome; empty when the request does not ask it), outcome, governing (`; `-separated),
 * and `scenarios` (how many concrete scenarios the row stands for).
 */
export function* tableCsv(engine: Engine, rows: Iterable<TableRow>): Generator<string> {
  const vocab = engine.vocabulary;
  yield `${['jurisdiction', 'agency', 'request', 'date', ...vocab.facts.map((f) => f.id), 'outcome', 'governing', 'scenarios'].join(',')}\r\n`;
  for (const r of rows) {
    const s = r.scenario;
    const relevant = new Set(vocab.factsFor(s.request).map((f) => f.index));
    const facts = vocab.facts.map((f) => {
      const v = s.facts[f.index]!;
      if (v >= 0) return f.values[v]!.id;
      return relevant.has(f.index) ? 'any' : '';
    });
    yield `${[s.jurisdiction, s.agency, s.request, s.date, ...facts, r.outcome, r.governing.join('; '), String(r.count)].map(csvField).join(',')}\r\n`;
  }
}

/** What one actor may do about one request on a date: each outcome with the scenarios that lead to it. */
export interface TableSummaryEntry {
  readonly jurisdiction: string;
  readonly agency: string;
  readonly request: string;
  readonly date: string;
  /**
   * Each outcome, once per alternative set of scenarios leading to it (in positive terms; `{}` is every scenario),
   * with the provisions that decide those scenarios. Outcomes in the order first met.
   */
  readonly outcomes: readonly { readonly outcome: Outcome; readonly when: Condition; readonly governing: readonly string[] }[];
}

/** The summary of a table: per jurisdiction, agency and request, each outcome with the conditions that lead to it. */
export function* tableSummary(engine: Engine, jurisdictions: readonly string[], date: string, opts: Selection = {}): Generator<TableSummaryEntry> {
  const vocab = engine.vocabulary;
  const base = emptyFacts(vocab);
  for (const jurisdiction of jurisdictions) {
    for (const agency of agenciesOf(vocab, opts)) {
      for (const request of requestsOf(vocab, opts)) {
        if (!engine.offers(jurisdiction, agency, request)) continue;
        const read = unionFacts(engine.factsRead(jurisdiction, agency, request, date));
        const byOutcome = new Map<Outcome, number[][]>();
        const governingAt = new Map<string, readonly string[]>();
        for (const p of points(vocab, read, base)) {
          const d = decided(engine, scenarioOf(jurisdiction, agency, request, date, p));
          const point = read.map((f) => p[f]!);
          const list = byOutcome.get(d.outcome) ?? [];
          list.push(point);
          byOutcome.set(d.outcome, list);
          governingAt.set(point.join(','), d.governing);
        }
        const counts = read.map((f) => vocab.facts[f]!.values.length);
        const outcomes = [...byOutcome].flatMap(([outcome, pts]) => coverCubes(pts, counts).map(({ cube }) => {
          const governing = new Set<string>();
          for (const q of cubePoints(cube)) for (const g of governingAt.get(q.join(',')) ?? []) governing.add(g);
          return { outcome, when: cubeCondition(vocab, read, cube), governing: [...governing] };
        }));
        yield { jurisdiction, agency, request, date, outcomes };
      }
    }
  }
}
