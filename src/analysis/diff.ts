// `trustrules diff`: every scenario whose outcome differs between two sides (two jurisdictions, two dates, or the law
// and a what-if), exactly, and a short readable summary of the differences.
import type { Outcome } from '../engine/decision.js';
import type { Scenario, ScenarioJson } from '../vocabulary/scenario.js';
import {
  actionText, agencyLabel, agenciesOf, coverCubes, cubeText, decided, emptyFacts, multiplicity, points,
  requestsOf, scenarioOf, unionFacts, type Selection, type Side,
} from './space.js';

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

export interface DiffRowJson {
  scenario: ScenarioJson;
  a: Outcome;
  b: Outcome;
  a_governing: string[];
  b_governing: string[];
  any: readonly string[];
  count: number;
}

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

export function sideJson(side: Side) {
  const assumptions = side.engine.assumptions;
  return { jurisdiction: side.jurisdiction, date: side.date, label: side.label, ...(assumptions ? { assumptions } : {}) };
}

/** `{"a": side, "b": side, "differences": [...], "summary": [...]}`, streamed row by row. */
export function* diffJson(A: Side, B: Side, rows: Iterable<DiffRow>): Generator<string> {
  yield `{"a": ${JSON.stringify(sideJson(A))},\n"b": ${JSON.stringify(sideJson(B))},\n"differences": [`;
  const summary = new DiffSummarizer();
  let first = true;
  for (const r of rows) {
    summary.add(r);
    yield `${first ? '\n' : ',\n'}${JSON.stringify(diffRowJson(A, B, r))}`;
    first = false;
  }
  yield `\n],\n"summary": ${JSON.stringify(summary.groups(A, B), null, 1)}}\n`;
}

// ---- the readable summary ----

export interface DiffGroup {
  readonly request: string;
  readonly agencies: readonly string[];
  readonly a: Outcome;
  readonly b: Outcome;
  /** The condition in words, e.g. "when subject is a witness, unless basis is a judicial warrant or a court order". */
  readonly when: string;
  /** Concrete scenarios per agency. */
  readonly scenarios: number;
  readonly text: string;
}

/** Collects diff rows (keeping only their fact values) and merges them into groups a person can read. */
export class DiffSummarizer {
  private readonly cells = new Map<string, { agency: string; request: string; a: Outcome; b: Outcome; read: readonly number[]; count: number; points: number[][] }>();
  total = 0;

  add(row: DiffRow): void {
    const key = `${row.agency}|${row.request}|${row.a}|${row.b}`;
    let cell = this.cells.get(key);
    if (!cell) {
      cell = { agency: row.agency, request: row.request, a: row.a, b: row.b, read: row.read, count: row.count, points: [] };
      this.cells.set(key, cell);
    }
    cell.points.push(row.read.map((f) => row.facts[f]!));
    this.total += row.count;
  }

  groups(A: Side, B: Side): DiffGroup[] {
    const vocab = A.engine.vocabulary;
    const merged = new Map<string, { request: string; a: Outcome; b: Outcome; when: string; agencies: string[]; scenarios: number }>();
    for (const c of this.cells.values()) {
      for (const { cube, count } of coverCubes(c.points, c.read.map((f) => vocab.facts[f]!.values.length))) {
        const when = cubeText(vocab, c.read, cube);
        const scenarios = count * c.count;
        const key = `${c.request}|${c.a}|${c.b}|${when}|${scenarios}`;
        const g = merged.get(key) ?? { request: c.request, a: c.a, b: c.b, when, agencies: [], scenarios };
        g.agencies.push(c.agency);
        merged.set(key, g);
      }
    }
    const requestOrder = new Map(vocab.requestIds.map((r, i) => [r, i]));
    return [...merged.values()]
      .sort((x, y) => requestOrder.get(x.request)! - requestOrder.get(y.request)! || y.agencies.length - x.agencies.length || y.scenarios - x.scenarios)
      .map((g) => ({ ...g, text: groupText(A, B, g) }));
  }
}

function clause(label: string, agencies: string, outcome: Outcome, action: string | undefined): string {
  const act = action ? ` ${action}` : '';
  switch (outcome) {
    case 'prohibited': return `${label} ${agencies} may not${act}`;
    case 'required': return `${label} ${agencies} must${act}`;
    case 'permitted': return `${label} ${agencies} may${act} (expressly permitted)`;
    case 'no_rule': return `${label} ${agencies}: no rule (discretion applies)`;
    case 'conflict': return `${label} ${agencies}: conflicting rules (escalate to counsel)`;
    case 'depends': return `${label} ${agencies}: depends on unknown facts`;
  }
}

const carriesAction = (o: Outcome) => o === 'prohibited' || o === 'required' || o === 'permitted';

/** "Montgomery County police may not ask …; Frederick County police: no rule (discretion applies) — unless …". */
function groupText(A: Side, B: Side, g: { request: string; a: Outcome; b: Outcome; when: string; agencies: string[] }): string {
  const vocab = A.engine.vocabulary;
  const agencies = agencyLabel(vocab, g.agencies);
  const action = actionText(vocab, g.request);
  const first = clause(A.label, agencies, g.a, action);
  const second = clause(B.label, agencies, g.b, carriesAction(g.a) ? undefined : action);
  return `${first.charAt(0).toUpperCase()}${first.slice(1)}; ${second} — ${g.when}`;
}

/** The human report: a header, then the groups under each request, with scenario counts. */
export function diffText(A: Side, B: Side, summary: DiffSummarizer, rowCount: number): string {
  const vocab = A.engine.vocabulary;
  const cap = (t: string) => t.charAt(0).toUpperCase() + t.slice(1);
  const head = `${cap(A.label)} (${A.jurisdiction}, ${A.date}) vs ${B.label} (${B.jurisdiction}, ${B.date})`;
  if (!rowCount) return `${head}: no differences.\n`;
  const lines = [`${head}: ${summary.total.toLocaleString('en-US')} concrete scenarios differ (${rowCount.toLocaleString('en-US')} rows).`];
  let request = '';
  for (const g of summary.groups(A, B)) {
    if (g.request !== request) {
      request = g.request;
      const label = vocab.requests.find((r) => r.id === request)?.label ?? request;
      lines.push('', `${label} (${request})`);
    }
    lines.push(`  - ${g.text} [${g.scenarios.toLocaleString('en-US')} scenarios each]`);
  }
  return `${lines.join('\n')}\n`;
}
