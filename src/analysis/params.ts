// Checking analysis parameters (shared by the command line and the HTTP API) and building the sides to compare.
import type { Engine } from '../engine/engine.js';
import type { Corpus } from '../policy/corpus.js';
import { isCalendarDate } from '../vocabulary/dates.js';
import type { InputError } from '../vocabulary/scenario.js';
import type { Vocabulary } from '../vocabulary/model.js';
import { ModelError, modelSide } from './gaps.js';
import { jurisdictionsUnder, type Selection, type Side, type SideName } from './space.js';

/** A bad parameter, shaped like the contract's error object. */
export class AnalysisInputError extends Error {
  constructor(readonly error: InputError) {
    super(`${error.path}: ${error.message}${error.given !== undefined ? ` (given ${JSON.stringify(error.given)})` : ''}`);
  }
}

/** Something that hands out an engine per what-if (EnginePool). */
export interface Engines {
  get(assumeInForce?: readonly string[], assumeNotInForce?: readonly string[]): Engine;
}

/** The what-if of an analysis request: instruments assumed in force, and not in force. */
export interface WhatIfParams {
  readonly assumeInForce?: readonly string[] | undefined;
  readonly assumeNotInForce?: readonly string[] | undefined;
}

/** A date parameter; anything but a calendar date (YYYY-MM-DD) is an AnalysisInputError naming `path`. */
export function checkDate(path: string, value: unknown): string {
  if (!isCalendarDate(value)) {
    throw new AnalysisInputError({ path, given: value ?? null, allowed: ['YYYY-MM-DD'], message: 'not a valid date (YYYY-MM-DD)' });
  }
  return value;
}

/** A jurisdiction parameter of the corpus; anything else is an AnalysisInputError naming `path`. */
export function checkJurisdiction(corpus: Corpus, path: string, value: unknown): string {
  if (typeof value !== 'string' || !corpus.jurisdictions.has(value)) {
    throw new AnalysisInputError({ path, given: value ?? null, allowed: [...corpus.jurisdictions.keys()].sort(), message: value === undefined ? 'required' : 'unknown jurisdiction' });
  }
  return value;
}

/** Comma-separated or repeated values, each checked against the allowed list. */
export function checkList(path: string, value: unknown, allowed: readonly string[]): string[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  // The surfaces split repeated and comma-separated values (app/params.ts); here each value is only checked.
  const list = (Array.isArray(value) ? value : [value]).map(String);
  for (const v of list) {
    if (!allowed.includes(v)) throw new AnalysisInputError({ path, given: v, allowed, message: 'value not allowed' });
  }
  return list;
}

/** The agencies and requests an analysis is limited to, each value checked against the vocabulary. */
export function selection(vocab: Vocabulary, agency: unknown, request: unknown): Selection {
  return { agencies: checkList('agency', agency, vocab.agencyIds), requests: checkList('request', request, vocab.requestIds) };
}

/**
 * Refuses an agency that none of the analysed jurisdictions has (Frederick County has no police department, a city no
 * sheriff), and requests that none of the agencies asked about can be asked to do: either would give an empty table or
 * timeline that reads as "no rules". Nothing is refused when no agency or request was named.
 */
export function checkActors(engine: Engine, jurisdictions: readonly string[], sel: Selection): Selection {
  if (!sel.agencies && !sel.requests) return sel;
  const vocab = engine.vocabulary;
  const had = new Set(jurisdictions.flatMap((j) => engine.agenciesOf(j)));
  const hadList = vocab.agencyIds.filter((a) => had.has(a));
  for (const a of sel.agencies ?? []) {
    if (had.has(a)) continue;
    const whose = jurisdictions.length === 1 ? `${jurisdictions[0]} has no ${a}` : `none of these jurisdictions has ${a}`;
    throw new AnalysisInputError({ path: 'agency', given: a, allowed: hadList, message: `${whose}; its agencies: ${hadList.join(', ')}` });
  }
  const asked = sel.agencies ?? hadList;
  const performed = vocab.requestIds.filter((r) => asked.some((a) => vocab.performs(a, r)));
  if (sel.requests && !sel.requests.some((r) => performed.includes(r))) {
    throw new AnalysisInputError({ path: 'request', given: sel.requests, allowed: performed, message: `${asked.join(', ')} cannot be asked to do this; allowed: ${performed.join(', ')}` });
  }
  return sel;
}

/** A side of a comparison; its name says its date when `dated` (the presentation layer words it). */
export function side(engine: Engine, jurisdiction: string, date: string, name: SideName = {}): Side {
  return { engine, jurisdiction, date, name };
}

/** The parameters of `table` (CLI flags and API query alike). */
export interface TableParams extends WhatIfParams {
  readonly jurisdiction?: string | undefined;
  readonly at?: unknown;
  readonly all?: boolean | undefined;
  readonly allDescendants?: boolean | undefined;
  readonly agency?: unknown;
  readonly request?: unknown;
}

/** Checks the parameters of `table` and gives the engine, the jurisdictions, the date and the selection. */
export function tableRequest(corpus: Corpus, engines: Engines, p: TableParams): { engine: Engine; jurisdictions: string[]; date: string; sel: Selection } {
  const engine = engines.get(p.assumeInForce, p.assumeNotInForce);
  const date = checkDate('at', p.at);
  let jurisdictions: string[];
  if (p.all) jurisdictions = [...corpus.jurisdictions.keys()].sort();
  else jurisdictions = jurisdictionsUnder(engine, checkJurisdiction(corpus, 'jurisdiction', p.jurisdiction), Boolean(p.allDescendants));
  return { engine, jurisdictions, date, sel: checkActors(engine, jurisdictions, selection(engine.vocabulary, p.agency, p.request)) };
}

/** The parameters of `diff` (CLI flags and API query alike). */
export interface DiffParams extends WhatIfParams {
  readonly a?: string | undefined;
  readonly b?: string | undefined;
  readonly at?: unknown;
  readonly vsDate?: unknown;
  readonly agency?: unknown;
  readonly request?: unknown;
}

/**
 * The two sides of a diff: `a` and `b` (two jurisdictions, on `at`, both under the what-if if any); `a` on `at` and on
 * `vsDate` (under the what-if if any); or, with `a` alone and a what-if, `a` under the law against `a` under the what-if.
 */
export function diffRequest(corpus: Corpus, engines: Engines, p: DiffParams): { A: Side; B: Side; sel: Selection } {
  const a = checkJurisdiction(corpus, 'a', p.a);
  const at = checkDate('at', p.at);
  const engine = engines.get(p.assumeInForce, p.assumeNotInForce);
  const sel = selection(engine.vocabulary, p.agency, p.request);
  if (p.b !== undefined && p.b !== '') {
    if (p.vsDate !== undefined) throw new AnalysisInputError({ path: 'vs_date', given: p.vsDate, allowed: ['omitted when b is given'], message: 'give either a second jurisdiction or --vs-date, not both' });
    const b = checkJurisdiction(corpus, 'b', p.b);
    return { A: side(engine, a, at), B: side(engine, b, at), sel: checkActors(engine, [a, b], sel) };
  }
  if (p.vsDate !== undefined && p.vsDate !== '') {
    const vs = checkDate('vs_date', p.vsDate);
    return { A: side(engine, a, at, { dated: true }), B: side(engine, a, vs, { dated: true }), sel: checkActors(engine, [a], sel) };
  }
  if (!engine.assumptions) {
    throw new AnalysisInputError({ path: 'b', given: null, allowed: [...corpus.jurisdictions.keys()].sort(), message: 'give a second jurisdiction, --vs-date, or a what-if (--assume-in-force / --assume-not-in-force) to compare against' });
  }
  const law = engines.get();
  return { A: side(law, a, at), B: side(engine, a, at), sel: checkActors(engine, [a], sel) };
}

/** The parameters of `gaps` (CLI flags and API query alike). */
export interface GapsParams extends WhatIfParams {
  readonly jurisdiction?: string | undefined;
  readonly against?: string | undefined;
  readonly at?: unknown;
  readonly agency?: unknown;
  readonly request?: unknown;
}

/** Checks the parameters of `gaps` and gives the jurisdiction's side, the model's side and the selection. */
export function gapsRequest(corpus: Corpus, engines: Engines, p: GapsParams): { target: Side; model: Side; sel: Selection } {
  const jurisdiction = checkJurisdiction(corpus, 'jurisdiction', p.jurisdiction);
  const at = checkDate('at', p.at);
  const engine = engines.get(p.assumeInForce, p.assumeNotInForce);
  // Either kind of id may be the model: a jurisdiction's rules or one instrument's.
  const models = () => [...[...corpus.jurisdictions.keys()].sort(), ...[...corpus.instruments.keys()].sort()];
  if (!p.against) throw new AnalysisInputError({ path: 'against', given: null, allowed: models(), message: 'required: a jurisdiction or an instrument id' });
  let model: Side;
  try {
    model = modelSide(corpus, jurisdiction, p.against, at, engine);
  } catch (e) {
    if (e instanceof ModelError) throw new AnalysisInputError({ path: 'against', given: p.against, allowed: models(), message: 'neither a jurisdiction nor an instrument in the corpus' });
    throw e;
  }
  return { target: side(engine, jurisdiction, at), model, sel: checkActors(engine, [jurisdiction], selection(engine.vocabulary, p.agency, p.request)) };
}

/** The parameters of `timeline` (CLI flags and API query alike). */
export interface TimelineParams extends WhatIfParams {
  readonly jurisdiction?: string | undefined;
  readonly from?: unknown;
  readonly to?: unknown;
  readonly agency?: unknown;
  readonly request?: unknown;
}

/** Checks the parameters of `timeline` and gives the engine, the jurisdiction, the date range and the selection. */
export function timelineRequest(corpus: Corpus, engines: Engines, p: TimelineParams) {
  const jurisdiction = checkJurisdiction(corpus, 'jurisdiction', p.jurisdiction);
  const from = p.from === undefined || p.from === '' ? undefined : checkDate('from', p.from);
  const to = p.to === undefined || p.to === '' ? undefined : checkDate('to', p.to);
  const engine = engines.get(p.assumeInForce, p.assumeNotInForce);
  return { engine, jurisdiction, from, to, sel: checkActors(engine, [jurisdiction], selection(engine.vocabulary, p.agency, p.request)) };
}
