// The Map's view model: every Maryland county (and Baltimore City) and placed municipality with the engine's answer to
// the chosen question on the chosen date and its protection index; and, for the live slider, each one's answers over time.
import type { Engine } from '../../engine/engine.js';
import type { Outcome } from '../../engine/decision.js';
import type { Jurisdiction } from '../../policy/corpus.js';
import { marylandGeometry, placeMunicipalities, type CountyShape, type PlacePoint, type PlacesFile } from './geometry.js';
import { answer, hasAgency, protectionIndex, type Answer, type IndexItem, type MapQuestion, type ProtectionIndex } from './questions.js';

/** The first day the slider reaches. */
export const MAP_FIRST_DAY = '2008-01-01';

/** A county or municipality on the map: its answer (none when it lacks the question's agency) and its index. */
export interface MapEntry {
  readonly jurisdiction: Jurisdiction;
  readonly answer?: Answer;
  readonly index: ProtectionIndex;
}

/** A county's shape with its entry. */
export interface CountyEntry extends MapEntry {
  readonly shape: CountyShape;
}

/** A municipality's point with its entry. */
export interface PointEntry extends MapEntry {
  readonly point: PlacePoint;
}

/** What the map page shows. */
export interface MapView {
  readonly question: MapQuestion;
  readonly date: string;
  readonly counties: readonly CountyEntry[];
  readonly points: readonly PointEntry[];
  /** Municipalities of the corpus without coordinates in the places file. */
  readonly unplaced: readonly string[];
  /** Outcomes that occur on the map, in the legend's order. */
  readonly outcomes: readonly Outcome[];
}

/** The legend's order: most protective first. */
export const OUTCOME_ORDER: readonly Outcome[] = ['prohibited', 'conflict', 'depends', 'no_rule', 'permitted', 'required'];

/** Every county-level shape and placed municipality, answered by the engine for the question on the date. */
export function mapView(engine: Engine, question: MapQuestion, items: readonly IndexItem[], date: string, places?: PlacesFile): MapView {
  const corpus = engine.corpus;
  const geo = marylandGeometry();
  const byFips = new Map([...corpus.jurisdictions.values()].filter((j) => j.id.startsWith('us/md/')).map((j) => [j.fips, j]));
  const entry = (j: Jurisdiction): MapEntry => {
    const index = protectionIndex(engine, items, j, date);
    if (!hasAgency(j, question.scenario.actor.agency)) return { jurisdiction: j, index };
    return { jurisdiction: j, answer: answer(engine, question.scenario, j.id, date), index };
  };
  const counties: CountyEntry[] = [];
  for (const shape of geo.counties) {
    const j = byFips.get(shape.fips);
    if (!j) throw new Error(`map: no jurisdiction with FIPS ${shape.fips} (${shape.name}) in the corpus`);
    counties.push({ ...entry(j), shape });
  }
  const placed = placeMunicipalities(corpus, places);
  const points = placed.points.map((point) => ({ ...entry(corpus.jurisdictions.get(point.jurisdiction)!), point }));
  const seen = new Set([...counties, ...points].flatMap((e) => (e.answer ? [e.answer.outcome] : [])));
  return { question, date, counties, points, unplaced: placed.unplaced, outcomes: OUTCOME_ORDER.filter((o) => seen.has(o)) };
}

/** One jurisdiction's answers over time: from each date on (until the next), the outcome. */
export interface AnswerSpan {
  readonly from: string;
  readonly outcome: Outcome;
}

/**
 * For the live slider: each county's and placed municipality's outcome from `from` to `to`, as the dates on which it
 * changes. Candidate dates are the engine's segment dates for the jurisdiction and the question's request (no outcome
 * changes on any other day); each is decided, and repeats are dropped.
 */
export function answersOverTime(engine: Engine, question: MapQuestion, from: string, to: string, places?: PlacesFile): Record<string, AnswerSpan[]> {
  const corpus = engine.corpus;
  const ids = [
    ...marylandGeometry().counties.map((c) => [...corpus.jurisdictions.values()].find((j) => j.fips === c.fips && j.id.startsWith('us/md/'))!.id),
    ...placeMunicipalities(corpus, places).points.map((p) => p.jurisdiction),
  ];
  const out: Record<string, AnswerSpan[]> = {};
  for (const id of ids) {
    const j = corpus.jurisdictions.get(id)!;
    if (!hasAgency(j, question.scenario.actor.agency)) continue;
    const dates = [from, ...engine.segmentDates(id, question.scenario.request).filter((d) => d > from && d <= to)];
    const spans: AnswerSpan[] = [];
    for (const d of dates) {
      const outcome = answer(engine, question.scenario, id, d).outcome;
      if (spans[spans.length - 1]?.outcome !== outcome) spans.push({ from: d, outcome });
    }
    out[id] = spans;
  }
  return out;
}

/** Months from the slider's first day to a date (the slider's value for it). */
export function monthIndex(date: string): number {
  return (Number(date.slice(0, 4)) - 2008) * 12 + Number(date.slice(5, 7)) - 1;
}

/** The first day of the slider's month `m`, or `today` when that month is today's (the slider's last step is today). */
export function monthDate(m: number, today: string): string {
  if (m >= monthIndex(today)) return today;
  const y = 2008 + Math.floor(m / 12);
  return `${y}-${String((m % 12) + 1).padStart(2, '0')}-01`;
}
