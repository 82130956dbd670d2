// The map's answer worked out a second way, for the tests: from the `table` analysis's rows (every combination of the
// facts the engine reads) rather than from `decide`. Rows matching the question's facts are its fillings-in; one outcome
// among them is the answer, several make it `depends` (contract 3.3).
import { tableRows } from '../../analysis/table.js';
import type { Engine } from '../../engine/engine.js';
import type { Outcome } from '../../engine/decision.js';
import type { ScenarioTemplate } from './questions.js';

/** The outcome the table analysis gives a template for a jurisdiction on a date. */
export function tableAnswer(engine: Engine, t: ScenarioTemplate, jurisdiction: string, date: string): Outcome {
  const fixed = Object.entries(t).filter(([k]) => k !== 'actor' && k !== 'request');
  const outcomes = new Set<Outcome>();
  for (const row of tableRows(engine, [jurisdiction], date, { agencies: [t.actor.agency], requests: [t.request] })) {
    const json = engine.codec.toJson(row.scenario) as unknown as Record<string, unknown>;
    // A fact the row leaves out cannot change its outcome (it is "any"): the row matches every value of it.
    if (fixed.every(([fact, value]) => !(fact in json) || json[fact] === value)) outcomes.add(row.outcome);
  }
  if (outcomes.size === 0) throw new Error(`tableAnswer: no table row for ${jurisdiction} ${t.request} on ${date}`);
  return outcomes.size === 1 ? [...outcomes][0]! : 'depends';
}
