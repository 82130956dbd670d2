// `trustrules gaps`: where a jurisdiction protects less than a model (another jurisdiction, or an instrument assumed in
// force: adopted by the jurisdiction itself when it is not already one of its own or its ancestors').
import { Engine } from '../engine/engine.js';
import type { Outcome } from '../engine/decision.js';
import type { Corpus, Instrument } from '../policy/corpus.js';
import { jurisdictionChain } from '../policy/corpus.js';
import { diffRows, type DiffRow } from './diff.js';
import type { Selection, Side } from './space.js';

/**
 * How much an outcome protects the person concerned: every request is a form of cooperation with immigration
 * enforcement, so a prohibition protects most, a requirement least. A conflict sits between (the rules disagree and
 * counsel decides); a permission and no rule both leave the actor's discretion.
 */
export const protection: Readonly<Record<Outcome, number>> = {
  prohibited: 3, conflict: 2, no_rule: 1, permitted: 1, depends: 1, required: 0,
};

/** Whether outcome `a` protects less than outcome `b` (prohibited > conflict > no_rule = permitted > required). */
export const protectsLess = (jurisdictionOutcome: Outcome, modelOutcome: Outcome): boolean =>
  protection[jurisdictionOutcome] < protection[modelOutcome];

/** A gaps model that is neither a jurisdiction nor an instrument of the corpus. */
export class ModelError extends Error {}

/**
 * The model side for `against`: a jurisdiction id (the same actor moved there), or an instrument id. An instrument of
 * the jurisdiction or one of its ancestors is assumed in force (a what-if); any other instrument (another county's
 * ordinance, another state's law) is treated as adopted by the jurisdiction itself, with its kind and provisions, and
 * assumed in force.
 */
export function modelSide(corpus: Corpus, jurisdiction: string, against: string, date: string, base: Engine): Side {
  if (corpus.jurisdictions.has(against)) {
    return { engine: base, jurisdiction: against, date, name: {} };
  }
  const ins = corpus.instruments.get(against);
  if (!ins) throw new ModelError(`--against: "${against}" is neither a jurisdiction nor an instrument in the corpus`);
  const inForce = [...(base.assumptions?.in_force ?? []), ins.id];
  const notInForce = (base.assumptions?.not_in_force ?? []).filter((id) => id !== ins.id);
  if (jurisdictionChain(jurisdiction).includes(ins.jurisdiction)) {
    return { engine: new Engine(corpus, { assumeInForce: inForce, assumeNotInForce: notInForce }), jurisdiction, date, name: {} };
  }
  const adopted: Instrument = { ...ins, jurisdiction };
  const instruments = new Map(corpus.instruments);
  instruments.set(ins.id, adopted);
  const moved: Corpus = { ...corpus, instruments };
  return {
    engine: new Engine(moved, { assumeInForce: inForce, assumeNotInForce: notInForce }),
    jurisdiction,
    date,
    name: { adopted: ins.id },
  };
}

/** Scenarios where the jurisdiction (side A) protects less than the model (side B). */
export function gapRows(target: Side, model: Side, sel: Selection = {}): Generator<DiffRow> {
  return diffRows(target, model, sel, protectsLess);
}
