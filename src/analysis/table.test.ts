// The table: every row is what decide returns (for the row's scenario and for every filling-in of its "any" facts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine.js';
import { fixtureCorpus, propertySeed, realCorpus } from './fixtures/corpus.js';
import { gens } from './fixtures/gens.js';
import { points } from './space.js';
import { csvField, tableCsv, tableJson, tableRows, tableSummary } from './table.js';

const engine = new Engine(fixtureCorpus());
const refs = (d: { governing: readonly { instrument: string; provision: string }[] }) => d.governing.map((g) => `${g.instrument}#${g.provision}`);

function checkRows(e: Engine, jurisdiction: string, agency: string, request: string, date: string, expandSample: number) {
  const rows = [...tableRows(e, [jurisdiction], date, { agencies: [agency], requests: [request] })];
  // An agency the jurisdiction lacks, or a request it cannot be asked, has no rows at all.
  if (!e.offers(jurisdiction, agency, request)) {
    expect(rows).toEqual([]);
    return rows;
  }
  const vocab = e.vocabulary;
  const relevant = vocab.factsFor(request).map((f) => f.index);
  let concrete = 0;
  for (const r of rows) {
    const d = e.ruling(e.codec.toJson(r.scenario));
    expect(d.outcome).toBe(r.outcome);
    expect(refs(d)).toEqual(r.governing);
    concrete += r.count;
    // Filling the "any" facts in any way changes nothing.
    const anyIdx = r.any.map((id) => vocab.fact(id)!.index);
    let n = 0;
    for (const p of points(vocab, anyIdx, r.scenario.facts)) {
      if (n++ >= expandSample) break;
      const full = e.ruling(e.codec.toJson({ ...r.scenario, facts: p }));
      expect(full.outcome).toBe(r.outcome);
      expect(relevant.every((f) => p[f]! >= 0)).toBe(true);
    }
  }
  // The rows cover the request's whole concrete space, once.
  expect(concrete).toBe(relevant.reduce((m, f) => m * vocab.facts[f]!.values.length, 1));
  return rows;
}

describe('table', () => {
  it('lists a cell with the conditions that decide it', () => {
    const rows = checkRows(engine, 'us/md/alpha-county', 'corrections', 'detain_past_release', '2018-01-10', 50);
    expect(rows.length).toBe(6 * 9);
    const civilOrder = rows.find((r) => engine.codec.toJson(r.scenario).basis === 'court_order' && engine.codec.toJson(r.scenario).matter === 'civil_immigration');
    expect(civilOrder?.outcome).toBe('prohibited');
    expect(civilOrder?.governing).toEqual(['alpha-order#but-not-civil-orders']);
    expect(rows[0]!.any).toEqual(['serious_offense']);
  });

  it('agrees with decide on every row (property, fixture corpus)', () => {
    const g = gens(engine);
    fc.assert(fc.property(g.jurisdiction, g.agency, g.request, g.date, (j, a, r, d) => {
      checkRows(engine, j, a, r, d, 20);
    }), { numRuns: 150, seed: propertySeed });
  });

  it('agrees with decide on every row (property, real corpus)', () => {
    const corpus = realCorpus();
    const real = new Engine(corpus);
    const g = gens(real);
    fc.assert(fc.property(g.jurisdiction, g.agency, g.request, g.date, (j, a, r, d) => {
      checkRows(real, j, a, r, d, 5);
    }), { numRuns: 60, seed: propertySeed });
  });

  it('expands to fully concrete rows, each agreeing with decide', () => {
    const rows = [...tableRows(engine, ['us/md/alpha-county/beta-city'], '2023-01-01', { requests: ['inquire_status'], agencies: ['police'], expand: true })];
    // Every fact that matters to the request, each of its values: the vocabulary decides how many rows.
    const facts = engine.vocabulary.factsFor('inquire_status');
    expect(rows.length).toBe(facts.reduce((n, f) => n * f.values.length, 1));
    for (const r of rows.filter((_, i) => i % 37 === 0)) {
      const json = engine.codec.toJson(r.scenario);
      expect(Object.keys(json)).toEqual(['date', 'actor', 'request', ...facts.map((f) => f.id)]);
      expect(engine.ruling(json).outcome).toBe(r.outcome);
    }
  });

  it('writes JSON, CSV and Markdown', () => {
    const rows = () => tableRows(engine, ['us/md/alpha-county'], '2018-01-10', { requests: ['notify_release'], agencies: ['corrections'] });
    const json = JSON.parse([...tableJson(engine, rows(), false)].join(''));
    expect(json.rows[0]).toMatchObject({ scenario: { actor: { jurisdiction: 'us/md/alpha-county', agency: 'corrections' }, request: 'notify_release' } });
    expect(json.rows.every((r: { any: string[] }) => Array.isArray(r.any))).toBe(true);
    const csv = [...tableCsv(engine, rows())].join('').split('\r\n');
    const factIds = engine.vocabulary.facts.map((f) => f.id);
    expect(csv[0]).toBe(['jurisdiction', 'agency', 'request', 'date', ...factIds, 'outcome', 'governing', 'scenarios'].join(','));
    // notify_release reads basis, matter, serious_offense and the SB 791 facts; the other facts stay empty.
    const cells = factIds.map((f) => (f === 'basis' ? 'none' : engine.vocabulary.factsFor('notify_release').some((x) => x.id === f) ? 'any' : ''));
    const scenarios = engine.vocabulary.factsFor('notify_release').filter((f) => f.id !== 'basis').reduce((n, f) => n * f.values.length, 1);
    expect(csv[1]).toBe(['us/md/alpha-county', 'corrections', 'notify_release', '2018-01-10', ...cells, 'prohibited', 'alpha-order#no-notice', scenarios].join(','));
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('=1+1')).toBe('"=1+1"');
  });

  it('summarises each actor\'s request as outcomes over conditions that cover every scenario, each as decide says', () => {
    const [entry, ...more] = [...tableSummary(engine, ['us/md/alpha-county'], '2018-01-10', { agencies: ['corrections'], requests: ['detain_past_release'] })];
    expect(more).toEqual([]);
    expect(entry!.outcomes).toContainEqual({ outcome: 'permitted', when: { basis: ['judicial_warrant'] }, governing: ['alpha-order#hold-with-judge'] });
    const vocab = engine.vocabulary;
    const read = engine.factsRead('us/md/alpha-county', 'corrections', 'detain_past_release', '2018-01-10');
    for (const p of points(vocab, read, new Int8Array(vocab.facts.length).fill(-1))) {
      const json = engine.codec.toJson({ date: '2018-01-10', jurisdiction: 'us/md/alpha-county', agency: 'corrections', request: 'detain_past_release', facts: p });
      const holds = entry!.outcomes.filter((o) => Object.entries(o.when).every(([f, values]) => values.includes(json[f] as string)));
      expect(holds.length).toBeGreaterThan(0);
      for (const o of holds) expect(o.outcome).toBe(engine.ruling(json).outcome);
    }
  });
});
