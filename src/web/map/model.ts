// The Map's view model: every Maryland county (and Baltimore City) and placed municipality with the engine's answer to
// the chosen question on the chosen date and its protection index; and, for the live slider, each one's answers over time.
import type { Engine } from '../../engine/engine.js';
import type { Outcome } from '../../engine/decision.js';
import type { Jurisdiction } from '../../policy/corpus.js';
import { marylandGeometry, placeMunicipalities, type CountyShape, type PlacePoint, type PlacesFile } from './geometry.js';
import { answer, offered, protectionIndex, type Answer, type IndexItem, type MapQuestion, type ProtectionIndex } from './questions.js';

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
    if (!offered(engine, question.scenario, j.id)) return { jurisdiction: j, index };
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

/** One jurisdiction's answer from a date on (until the next span): the outcome and the provisions deciding it. */
export interface AnswerSpan {
  readonly from: string;
  readonly outcome: Outcome;
  readonly governing: readonly string[];
}

/** One jurisdiction's protection index from a date on. */
export interface IndexSpan {
  readonly from: string;
  readonly score: number;
  readonly max: number;
}

/** For the live slider: every place's answers and protection index over a period, as the dates they change. */
export interface AnswersOverTime {
  readonly answers: Record<string, AnswerSpan[]>;
  readonly index: Record<string, IndexSpan[]>;
}

/** The ids of the map's places: the county-level jurisdictions in shape order, then the placed towns. */
function mapPlaces(engine: Engine, places?: PlacesFile): string[] {
  const corpus = engine.corpus;
  const byFips = new Map([...corpus.jurisdictions.values()].filter((j) => j.id.startsWith('us/md/')).map((j) => [j.fips, j.id]));
  return [...marylandGeometry().counties.map((c) => byFips.get(c.fips)!), ...placeMunicipalities(corpus, places).points.map((p) => p.jurisdiction)];
}

/** The dates in (from, to] on which what binds a jurisdiction about any of the requests can change, with `from` first. */
function changeDates(engine: Engine, jurisdiction: string, requests: readonly string[], from: string, to: string): string[] {
  const dates = new Set<string>();
  for (const r of requests) for (const d of engine.segmentDates(jurisdiction, r)) if (d > from && d <= to) dates.add(d);
  return [from, ...[...dates].sort()];
}

/**
 * For the live slider: each place's answer and protection index from `from` to `to`, as the dates on which they change.
 * Candidate dates are the engine's segment dates for the place and the requests asked (nothing changes on any other
 * day); each is decided, and repeats are dropped.
 */
export function answersOverTime(engine: Engine, question: MapQuestion, items: readonly IndexItem[], from: string, to: string, places?: PlacesFile): AnswersOverTime {
  const answers: Record<string, AnswerSpan[]> = {};
  const index: Record<string, IndexSpan[]> = {};
  for (const id of mapPlaces(engine, places)) {
    const j = engine.corpus.jurisdictions.get(id)!;
    if (offered(engine, question.scenario, id)) {
      const spans: AnswerSpan[] = [];
      for (const d of changeDates(engine, id, [question.scenario.request], from, to)) {
        const a = answer(engine, question.scenario, id, d);
        const last = spans[spans.length - 1];
        if (!last || last.outcome !== a.outcome || last.governing.join() !== a.governing.join()) spans.push({ from: d, outcome: a.outcome, governing: a.governing });
      }
      answers[id] = spans;
    }
    const spans: IndexSpan[] = [];
    for (const d of changeDates(engine, id, [...new Set(items.map((i) => i.scenario.request))], from, to)) {
      const { score, max } = protectionIndex(engine, items, j, d);
      const last = spans[spans.length - 1];
      if (!last || last.score !== score || last.max !== max) spans.push({ from: d, score, max });
    }
    index[id] = spans;
  }
  return { answers, index };
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
