// The map's questions and the protection index's rubric, read from data/map/*.yaml, and their answers from the engine:
// each template is a contract scenario with the actor's jurisdiction and the date filled in, decided as `decide` does.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { Engine } from '../../engine/engine.js';
import type { Outcome } from '../../engine/decision.js';
import type { Jurisdiction } from '../../policy/corpus.js';
import { packageRoot } from '../../vocabulary/vocabulary.js';

/** A scenario without its date and actor's jurisdiction: what a question asks of every jurisdiction. */
export interface ScenarioTemplate {
  readonly actor: { readonly agency: string };
  readonly request: string;
  readonly [fact: string]: unknown;
}

/** One question of the map. */
export interface MapQuestion {
  readonly id: string;
  readonly scenario: ScenarioTemplate;
}

/** One item of the protection index's rubric. */
export interface IndexItem {
  readonly id: string;
  readonly points: number;
  readonly scenario: ScenarioTemplate;
}

const template = z.looseObject({ actor: z.strictObject({ agency: z.string() }), request: z.string() })
  .refine((s) => !('date' in s), 'a template takes no date: the map supplies it');
const questionsFile = z.strictObject({ questions: z.array(z.strictObject({ id: z.string().regex(/^[a-z0-9-]+$/), scenario: template })).min(1) });
const indexFile = z.strictObject({ items: z.array(z.strictObject({ id: z.string().regex(/^[a-z0-9-]+$/), points: z.number().positive(), scenario: template })).min(1) });

/** The data folder of the map. */
export const mapDataDir = path.join(packageRoot, 'data', 'map');

/** A template as a scenario for one jurisdiction on one date. */
export function scenarioFor(t: ScenarioTemplate, jurisdiction: string, date: string): Record<string, unknown> {
  return { ...t, date, actor: { jurisdiction, agency: t.actor.agency } };
}

/**
 * Reads and checks a data file: each template must be a valid scenario for the engine (checked on a sample
 * jurisdiction and date), so a typo in a fact fails at start-up, naming the file, not on a reader's page.
 */
function checked<T extends { id: string; scenario: ScenarioTemplate }>(file: string, list: readonly T[], engine: Engine): T[] {
  const sample = [...engine.corpus.jurisdictions.keys()].sort()[0]!;
  for (const item of list) {
    try {
      engine.codec.parse(scenarioFor(item.scenario, sample, '2020-01-01'));
    } catch (e) {
      throw new Error(`${file}: ${item.id}: not a valid scenario template: ${(e as Error).message}`);
    }
  }
  return [...list];
}

/** The map's questions (data/map/questions.yaml), each template checked against the engine's vocabulary. */
export function loadQuestions(engine: Engine, dir = mapDataDir): MapQuestion[] {
  const file = path.join(dir, 'questions.yaml');
  return checked(file, questionsFile.parse(parse(readFileSync(file, 'utf8'))).questions as MapQuestion[], engine);
}

/** The protection index's rubric (data/map/protection-index.yaml), each template checked. */
export function loadIndexItems(engine: Engine, dir = mapDataDir): IndexItem[] {
  const file = path.join(dir, 'protection-index.yaml');
  return checked(file, indexFile.parse(parse(readFileSync(file, 'utf8'))).items as IndexItem[], engine);
}

/** Whether the template can be asked of the jurisdiction: it has the agency, and the agency can be asked this (the engine's rule). */
export function offered(engine: Engine, t: ScenarioTemplate, jurisdiction: string): boolean {
  return engine.offers(jurisdiction, t.actor.agency, t.request);
}

/** The engine's answer to a template for a jurisdiction on a date: the outcome and the provisions that decide it. */
export interface Answer {
  readonly outcome: Outcome;
  /** Governing provision refs; for `depends`, those of every branch. */
  readonly governing: readonly string[];
  /** For `depends`: the outcomes some filling-in of the unknown facts leads to. */
  readonly branches: readonly Outcome[];
}

/** Decides a template for a jurisdiction on a date, exactly as `decide` would. */
export function answer(engine: Engine, t: ScenarioTemplate, jurisdiction: string, date: string): Answer {
  const r = engine.ruling(scenarioFor(t, jurisdiction, date));
  const branches = (r.depends_on ?? []).map((b) => b.outcome);
  const governing = r.depends_on
    ? [...new Set(r.depends_on.flatMap((b) => b.governing))]
    : r.governing.map((g) => `${g.instrument}#${g.provision}`);
  return { outcome: r.outcome, governing, branches };
}

/** One rubric item as scored for a jurisdiction: its answer and the points it earns (undefined: not applicable). */
export interface ItemScore {
  readonly item: IndexItem;
  readonly answer?: Answer;
  readonly earned?: number;
}

/** A jurisdiction's protection index on a date: the points earned out of the points applicable, and each item. */
export interface ProtectionIndex {
  readonly score: number;
  readonly max: number;
  readonly items: readonly ItemScore[];
}

/** Points an answer earns: all when prohibited, half when it depends and some filling is prohibited, else none. */
export function pointsFor(a: Answer, points: number): number {
  if (a.outcome === 'prohibited') return points;
  if (a.outcome === 'depends' && a.branches.includes('prohibited')) return points / 2;
  return 0;
}

/** The protection index of a jurisdiction on a date, every item answered by the engine. */
export function protectionIndex(engine: Engine, items: readonly IndexItem[], j: Jurisdiction, date: string): ProtectionIndex {
  let score = 0;
  let max = 0;
  const scored = items.map((item): ItemScore => {
    if (!offered(engine, item.scenario, j.id)) return { item };
    const a = answer(engine, item.scenario, j.id, date);
    const earned = pointsFor(a, item.points);
    score += earned;
    max += item.points;
    return { item, answer: a, earned };
  });
  return { score, max, items: scored };
}
