// A decided scenario carried between pages as form fields named as the guide names them (contract section 9: the fact
// id, `actor.jurisdiction`, `actor.agency`, `request`, `basis`, …), and back to the contract's scenario object.
import type { Vocabulary } from '../../vocabulary/model.js';

/** The scenario's facts as field name and value pairs, `date` left out (a contact is decided on the day it occurred). */
export function scenarioFields(scenario: Readonly<Record<string, unknown>>): [string, string][] {
  const pairs: [string, string][] = [];
  const actor = (scenario.actor ?? {}) as Record<string, unknown>;
  for (const k of ['jurisdiction', 'agency']) if (actor[k] !== undefined) pairs.push([`actor.${k}`, String(actor[k])]);
  for (const [k, v] of Object.entries(scenario)) {
    if (k === 'actor' || k === 'date' || v === undefined) continue;
    pairs.push([k, String(v)]);
  }
  return pairs;
}

/**
 * The scenario the fields describe: the actor and request, and every vocabulary fact given (booleans as booleans).
 * Other fields are ignored here; the scenario codec then checks the values, naming the field of a bad one.
 */
export function scenarioOfFields(fields: ReadonlyMap<string, string>, vocabulary: Vocabulary): Record<string, unknown> {
  const scenario: Record<string, unknown> = {
    actor: { jurisdiction: fields.get('actor.jurisdiction'), agency: fields.get('actor.agency') },
  };
  if (fields.has('request')) scenario.request = fields.get('request');
  for (const fact of vocabulary.facts) {
    const v = fields.get(fact.id);
    if (v === undefined || v === '') continue;
    scenario[fact.id] = fact.boolean && (v === 'true' || v === 'false') ? v === 'true' : v;
  }
  return scenario;
}
