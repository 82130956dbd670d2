// The Map's geometry, answers and page: 24 county-level shapes matching the corpus, every town placed inside its
// county, every colour equal to what the `table` analysis gives for the same question and date, words in en and es.
import { describe, expect, it } from 'vitest';
import { EnginePool } from '../../app/pool.js';
import { defaultPoliciesRoot, loadCorpusOrThrow } from '../../policy/load.js';
import { testWords } from '../explore/testWords.js';
import { insideCounty, marylandGeometry, outsideMaryland, placeMunicipalities, readPlaces, countyOf } from './geometry.js';
import { answersOverTime, mapView, monthDate, monthIndex } from './model.js';
import { loadIndexItems, loadQuestions, pointsFor, protectionIndex } from './questions.js';
import { mapMain } from './render.js';
import { tableAnswer } from './tableAnswer.js';

const corpus = loadCorpusOrThrow(process.env.TRUSTRULES_POLICIES ?? defaultPoliciesRoot);
const engine = new EnginePool(corpus).base;
const questions = loadQuestions(engine);
const items = loadIndexItems(engine);

describe('the geometry', () => {
  it('has Maryland\'s 24 county-level shapes, each a jurisdiction of the corpus with the same FIPS code', () => {
    const geo = marylandGeometry();
    expect(geo.counties).toHaveLength(24);
    const fips = new Set([...corpus.jurisdictions.values()].filter((j) => j.id.startsWith('us/md/') && j.fips.length === 5).map((j) => j.fips));
    expect(new Set(geo.counties.map((c) => c.fips))).toEqual(fips);
    for (const c of geo.counties) expect(c.d).toMatch(/^M[\d.]+,[\d.]+L/);
  });

  it('places every Maryland town of the corpus, each inside its own county\'s shape (or on the State line, outside every one)', () => {
    const { points, unplaced } = placeMunicipalities(corpus);
    expect(unplaced).toEqual([]);
    expect(points).toHaveLength(156);
    for (const p of points) {
      const county = countyOf(corpus, corpus.jurisdictions.get(p.jurisdiction)!)!;
      const inside = insideCounty(county.fips, p.lon, p.lat) || outsideMaryland(p.lon, p.lat);
      expect({ place: p.jurisdiction, inside }).toEqual({ place: p.jurisdiction, inside: true });
    }
    expect(outsideMaryland(-76.61, 39.3)).toBe(false);
  });

  it('names its source in the data file, and files each place under the county the corpus puts it in', () => {
    const file = readPlaces();
    expect(file.source.url).toMatch(/^https:\/\/www2\.census\.gov\/geo\/docs\/maps-data\/data\/gazetteer\//);
    expect(file.places).toHaveLength(156);
    for (const p of file.places) {
      const j = [...corpus.jurisdictions.values()].find((x) => x.fips === p.geoid)!;
      expect({ geoid: p.geoid, county: corpus.jurisdictions.get(j.parent!)!.fips }).toEqual({ geoid: p.geoid, county: p.county });
    }
  });
});

describe('the answers', () => {
  const dates = ['2010-06-01', '2017-03-01', '2019-09-01', '2026-11-15'];
  it.each(dates)('on %s, every county\'s and town\'s colour equals the table analysis for every question', (date) => {
    for (const q of questions) {
      const view = mapView(engine, q, items, date);
      for (const e of [...view.counties, ...view.points]) {
        if (!e.answer) continue;
        expect({ q: q.id, j: e.jurisdiction.id, outcome: e.answer.outcome }).toEqual({ q: q.id, j: e.jurisdiction.id, outcome: tableAnswer(engine, q.scenario, e.jurisdiction.id, date) });
      }
    }
  });

  it('change over time where the law changed: Frederick\'s 287(g) agreement was allowed in 2019, prohibited after HB 444 (2026)', () => {
    const q = questions.find((x) => x.id === 'agreement')!;
    const at = (date: string) => mapView(engine, q, items, date).counties.find((c) => c.jurisdiction.id === 'us/md/frederick-county')!.answer!.outcome;
    expect(at('2019-06-01')).not.toBe('prohibited');
    expect(at('2026-11-15')).toBe('prohibited');
    const over = answersOverTime(engine, q, items, '2008-01-01', '2026-12-01');
    const spans = over.answers['us/md/frederick-county']!;
    expect(spans[spans.length - 1]!.outcome).toBe('prohibited');
    for (const s of spans) {
      const e = mapView(engine, q, items, s.from).counties.find((c) => c.jurisdiction.id === 'us/md/frederick-county')!;
      expect([e.answer!.outcome, e.answer!.governing]).toEqual([s.outcome, s.governing]);
    }
    for (const [id, list] of Object.entries(over.index)) {
      for (const s of list) expect(protectionIndex(engine, items, corpus.jurisdictions.get(id)!, s.from).score).toBe(s.score);
    }
  });

  it('score the protection index from the engine\'s answers, item by item', () => {
    const j = corpus.jurisdictions.get('us/md/montgomery-county')!;
    const index = protectionIndex(engine, items, j, '2026-11-15');
    expect(index.max).toBe(items.reduce((n, i) => n + i.points, 0));
    expect(index.score).toBe(index.items.reduce((n, i) => n + (i.earned ?? 0), 0));
    for (const i of index.items) expect(i.earned).toBe(pointsFor(i.answer!, i.item.points));
    expect(pointsFor({ outcome: 'depends', governing: [], branches: ['permitted', 'prohibited'] }, 2)).toBe(1);
    expect(pointsFor({ outcome: 'depends', governing: [], branches: ['permitted', 'no_rule'] }, 2)).toBe(0);
    expect(pointsFor({ outcome: 'permitted', governing: [], branches: [] }, 2)).toBe(0);
    // The State's 2026 laws raised every county's index above what it was in 2010.
    const before = protectionIndex(engine, items, j, '2010-06-01');
    expect(index.score).toBeGreaterThan(before.score);
  });

  it('map the slider\'s months to dates, the last step being today', () => {
    expect(monthIndex('2008-01-15')).toBe(0);
    expect(monthDate(monthIndex('2019-07-04'), '2026-12-01')).toBe('2019-07-01');
    expect(monthDate(monthIndex('2026-12-01'), '2026-12-01')).toBe('2026-12-01');
  });
});

describe('the page', () => {
  it.each(['en', 'es'] as const)('in %s: one coloured shape per county, the table with the same outcomes, no inline script or style', (lang) => {
    const q = questions[0]!;
    const view = mapView(engine, q, items, '2019-09-01');
    const page = mapMain(testWords(corpus, lang), corpus, questions, items, view, '2026-12-01').text;
    expect(page.match(/<path class="map__county fill--/g)!.length).toBe(24);
    expect(page.match(/<circle class="map__place fill--/g)!.length).toBe(view.points.length);
    const rows = [...page.matchAll(/<tr data-j="([^"]+)">[\s\S]*?data-outcome="([a-z_]+)"/g)].map((r) => [r[1], r[2]]);
    expect(rows).toHaveLength(24 + view.points.length);
    for (const [j, o] of rows) expect(o).toBe([...view.counties, ...view.points].find((e) => e.jurisdiction.id === j)!.answer?.outcome ?? 'none');
    expect(page).toContain('<input class="usa-range" type="range" id="m" name="m" min="0"');
    expect(page).not.toMatch(/\sstyle\s*=|<script|<style[\s>]/);
    expect(page).toContain(lang === 'en' ? 'The protection index' : 'El índice de protección');
  });
});
