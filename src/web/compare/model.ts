// Compare's view model: two to four sides (jurisdictions on a date, one jurisdiction on two dates, or the law against a
// draft assumed in force), each request by agency answered by the engine with the clauses behind it, and the `diff`
// analysis of the first side against each other one, summarised in groups the presentation layer words.
import { diffRows, DiffSummarizer } from '../../analysis/diff.js';
import { side } from '../../analysis/params.js';
import type { Side } from '../../analysis/space.js';
import { dateParam } from '../../app/dates.js';
import { ContractError, unknownInstrument, unknownJurisdiction } from '../../app/errors.js';
import type { EnginePool } from '../../app/pool.js';
import type { Corpus } from '../../policy/corpus.js';
import { answer, type Answer } from '../map/questions.js';

/** What Compare is asked: the query's `j` (repeated), `date`, and `vs` (a second date) or `draft` (an instrument). */
export interface CompareQuery {
  readonly j: readonly string[];
  readonly date?: string | undefined;
  readonly vs?: string | undefined;
  readonly draft?: string | undefined;
}

/** The three ways to compare. */
export type CompareMode = 'jurisdictions' | 'dates' | 'draft';

/** One side's answer for an agency and a request. */
export interface CompareCell {
  readonly agency: string;
  readonly request: string;
  /** One answer per side, in the sides' order; undefined where the side has no such agency or cannot be asked this. */
  readonly answers: readonly (Answer | undefined)[];
  /**
   * How the sides differ: `outcome` where the sides that can be asked this answer differently, `office` where they
   * agree but some side has no such office (the diff, which walks only actors both sides have, cannot see it).
   */
  readonly difference?: 'outcome' | 'office';
  /** Whether the row differs at all (`difference` is set). */
  readonly differs: boolean;
}

/** The diff of the first side against another: its summary groups and totals. */
export interface ComparePair {
  readonly a: Side;
  readonly b: Side;
  readonly summary: DiffSummarizer;
}

/** What the Compare page shows. */
export interface CompareView {
  readonly mode: CompareMode;
  readonly date: string;
  readonly sides: readonly Side[];
  /** Per request (vocabulary order), per agency, the sides' answers. */
  readonly cells: readonly CompareCell[];
  readonly pairs: readonly ComparePair[];
}

/** Most sides side by side. */
export const MAX_SIDES = 4;

/**
 * Checks the query and builds the sides: a bad jurisdiction, date or instrument, too many or too few jurisdictions, or
 * `vs` with `draft`, is a ContractError naming the parameter (the page answers 400 with it).
 */
export function compareSides(corpus: Corpus, engines: EnginePool, q: CompareQuery, today: string): { mode: CompareMode; date: string; sides: Side[] } {
  for (const j of q.j) if (!corpus.jurisdictions.has(j)) throw unknownJurisdiction(corpus, 'j', j);
  const date = dateParam('date', q.date, today);
  const ids = [...new Set(q.j)];
  if (q.vs !== undefined && q.vs !== '' && q.draft) {
    throw new ContractError('bad_input', { path: 'draft', given: q.draft, message: 'compare with a second date (vs) or with a draft, not both' });
  }
  if ((q.vs || q.draft) && ids.length !== 1) {
    throw new ContractError('bad_input', { path: 'j', given: ids, allowed: ['exactly one jurisdiction with vs or draft'], message: 'a second date or a draft compares one jurisdiction with itself' });
  }
  const law = engines.base;
  if (q.vs) {
    const vs = dateParam('vs', q.vs);
    return { mode: 'dates', date, sides: [side(law, ids[0]!, date, { dated: true }), side(law, ids[0]!, vs, { dated: true })] };
  }
  if (q.draft) {
    if (!corpus.instruments.has(q.draft)) throw unknownInstrument(corpus, 'draft', q.draft);
    return { mode: 'draft', date, sides: [side(law, ids[0]!, date), side(engines.get([q.draft]), ids[0]!, date)] };
  }
  if (ids.length < 2 || ids.length > MAX_SIDES) {
    throw new ContractError('bad_input', { path: 'j', given: ids, allowed: [`2 to ${MAX_SIDES} jurisdictions`], message: `compare 2 to ${MAX_SIDES} jurisdictions` });
  }
  return { mode: 'jurisdictions', date, sides: ids.map((j) => side(law, j, date)) };
}

/** The answers of every side for every request and agency, and the diff of the first side against each other one. */
export function compareView(mode: CompareMode, date: string, sides: readonly Side[]): CompareView {
  const vocab = sides[0]!.engine.vocabulary;
  const cells: CompareCell[] = [];
  for (const request of vocab.requestIds) {
    for (const agency of vocab.agencyIds) {
      const asked = sides.map((s) => s.engine.offers(s.jurisdiction, agency, request));
      // An actor no side has (a school asked to hold someone) is no row at all.
      if (!asked.some(Boolean)) continue;
      const answers = sides.map((s, i) => (asked[i] ? answer(s.engine, { actor: { agency }, request }, s.jurisdiction, s.date) : undefined));
      const outcomes = new Set(answers.flatMap((a) => (a ? [a.outcome] : [])));
      const difference = outcomes.size > 1 ? 'outcome' : asked.every(Boolean) ? undefined : 'office';
      cells.push({ agency, request, answers, differs: difference !== undefined, ...(difference ? { difference } : {}) });
    }
  }
  const pairs = sides.slice(1).map((b): ComparePair => {
    const summary = new DiffSummarizer();
    for (const row of diffRows(sides[0]!, b)) summary.add(row);
    return { a: sides[0]!, b, summary };
  });
  return { mode, date, sides, cells, pairs };
}

/**
 * Instruments of a jurisdiction's chain (of every jurisdiction when none is given) not in force on a date: the drafts
 * (bills, vetoed or repealed measures) to try.
 */
export function draftsFor(corpus: Corpus, engines: EnginePool, jurisdiction: string | undefined, date: string): string[] {
  const chain = new Set<string>();
  for (let j: string | null = jurisdiction ?? null; j; j = corpus.jurisdictions.get(j)?.parent ?? null) chain.add(j);
  return [...corpus.instruments.values()]
    .filter((i) => (!jurisdiction || chain.has(i.jurisdiction)) && i.binding && !engines.base.inForce(i.id, date))
    .map((i) => i.id)
    .sort();
}
