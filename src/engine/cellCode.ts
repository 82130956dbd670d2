// A jurisdiction's compiled cells as generated JavaScript: request, date and agency dispatch and each cell's whole
// outcome table, read straight from a scenario's JSON fields, so bulk callers decide at near hand-written speed.
import type { ScenarioJson } from '../vocabulary/scenario.js';
import { factValueJson, type Vocabulary } from '../vocabulary/model.js';
import type { Cell } from './cell.js';

/** Reads a trusted scenario in contract form and gives its outcome code (CODE_BY_OUTCOME). */
export type OutcomeReader = (s: ScenarioJson) => number;

/** What the engine knows of one jurisdiction and request: where the dated segments start, and each segment's cells. */
export interface RequestPlan {
  readonly request: string;
  /** The first day of segments 1…n (segment 0 starts in the far past), ascending. */
  readonly boundaries: readonly string[];
  /** Per segment, the cell of each agency (by agency index). */
  readonly cells: readonly (readonly Cell[])[];
}

/**
 * Generates the reader for one jurisdiction. Every id, date and value is emitted with JSON.stringify, so no policy
 * text reaches the code unquoted; each cell becomes a function of `switch`es over the facts it reads, ending in a
 * lookup in its full outcome table (unknown and missing values fall through to the unknown slot).
 */
export function jurisdictionReader(
  plans: readonly RequestPlan[], agencyIds: readonly string[], vocabulary: Vocabulary,
): OutcomeReader {
  const q = JSON.stringify;
  const cellNames = new Map<Cell, string>();
  const tables: Int8Array[] = [];
  const functions: string[] = [];
  /** An expression giving the outcome code for this cell. */
  const cellCode = (cell: Cell): string => {
    if (cell.readFacts.length === 0) return String(cell.outcomeCode(0));
    let name = cellNames.get(cell);
    if (!name) {
      name = `c${cellNames.size}`;
      cellNames.set(cell, name);
      const switches = cell.readFacts.map((f, k) => {
        const fact = vocabulary.facts[f]!;
        const slot = (v: number) => (v + 1) * cell.stride[k]!;
        const cases = fact.values.map((_, v) => `case ${q(factValueJson(fact, v))}: i += ${slot(v)}; break;`);
        return `  switch (s[${q(fact.id)}]) { ${cases.join(' ')} }`;
      });
      functions.push(
        `const ${name}_table = tables[${tables.length}];`,
        `function ${name}(s) {`, '  let i = 0;', ...switches, `  return ${name}_table[i];`, '}',
      );
      tables.push(cell.outcomeTable());
    }
    return `${name}(s)`;
  };
  /** The statement answering for one segment: one cell, or a switch over agencies grouped by cell. */
  const segmentCode = (cells: readonly Cell[]): string => {
    const byCode = new Map<string, string[]>();
    cells.forEach((cell, a) => {
      const code = cellCode(cell);
      byCode.set(code, [...(byCode.get(code) ?? []), agencyIds[a]!]);
    });
    if (byCode.size === 1) return `return ${[...byCode.keys()][0]};`;
    const cases = [...byCode].map(([code, agencies]) => `${agencies.map((a) => `case ${q(a)}:`).join(' ')} return ${code};`);
    return `switch (s.actor.agency) { ${cases.join(' ')} } return -1;`;
  };
  /** Binary search over runs of segments that answer alike, as nested ifs on the date. */
  const dateTree = (runs: readonly { from: string | undefined; code: string }[], lo: number, hi: number): string => {
    if (lo === hi) return runs[lo]!.code;
    const mid = (lo + hi + 1) >> 1;
    return `if (d < ${q(runs[mid]!.from)}) { ${dateTree(runs, lo, mid - 1)} } else { ${dateTree(runs, mid, hi)} }`;
  };
  const requestCases = plans.map((plan) => {
    const runs: { from: string | undefined; code: string }[] = [];
    plan.cells.forEach((cells, segment) => {
      const code = segmentCode(cells);
      if (runs.length && runs[runs.length - 1]!.code === code) return;
      runs.push({ from: segment === 0 ? undefined : plan.boundaries[segment - 1], code });
    });
    return `case ${q(plan.request)}: { ${dateTree(runs, 0, runs.length - 1)} }`;
  });
  const source = [
    ...functions,
    'return function readOutcome(s) {', '  const d = s.date;', '  switch (s.request) {',
    ...requestCases.map((c) => `    ${c}`),
    '  }', '  return -1;', '};',
  ].join('\n');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from quoted vocabulary and policy ids
  return new Function('tables', source)(tables) as OutcomeReader;
}
