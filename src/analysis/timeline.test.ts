// The timeline: the dates on which some outcome changed, and what came into or out of force.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FAR_PAST } from '../engine/binding.js';
import { Engine } from '../engine/engine.js';
import { fixtureCorpus, propertySeed, realCorpus } from './fixtures/corpus.js';
import { gens } from './fixtures/gens.js';
import { changesOn, dayBefore, timeline } from './timeline.js';

const engine = new Engine(fixtureCorpus());

describe('timeline', () => {
  it('lists each date where an outcome changed, with the instruments', () => {
    const entries = [...timeline(engine, 'us/md/alpha-county')];
    expect(entries.map((e) => e.date)).toEqual(['1996-09-30', '2017-04-05', '2019-01-01', '2020-06-01', '2022-10-01', '2025-01-01']);
    // 2018-01-01: the memorandum's requirement is outranked by the executive order, so nothing changed.
    expect(entries[1]!.instruments).toEqual([{ instrument: 'alpha-order', title: 'Alpha County Executive Order', jurisdiction: 'us/md/alpha-county', change: 'in_force' }]);
    expect(entries[2]!.instruments[0]).toMatchObject({ instrument: 'alpha-order', provision: 'no-facility-access-late', change: 'in_force' });
    expect(entries[5]!.instruments[0]).toMatchObject({ instrument: 'alpha-order', change: 'no_longer_in_force' });
    // The signing of a vetoed bill changes nothing and is left out; Gamma's ordinance does not reach Alpha.
    for (const e of entries) {
      expect(e.scenarios).toBeGreaterThan(0);
      expect(e.summary.length).toBeGreaterThan(0);
    }
  });

  it('lists only what binds the jurisdiction\'s own actors: a county\'s executive order is not a city\'s change', () => {
    const city = [...timeline(engine, 'us/md/alpha-county/beta-city')];
    expect(city.length).toBeGreaterThan(0);
    expect(city.flatMap((e) => e.instruments.map((i) => i.instrument))).not.toContain('alpha-order');
    expect(changesOn(engine, 'us/md/alpha-county', '2017-04-05').map((c) => c.instrument)).toContain('alpha-order');
    expect(changesOn(engine, 'us/md/alpha-county/beta-city', '2017-04-05').map((c) => c.instrument)).not.toContain('alpha-order');
  });

  it('honours --from and --to', () => {
    expect([...timeline(engine, 'us/md/alpha-county', { from: '2018-01-01', to: '2020-06-01' })].map((e) => e.date)).toEqual(['2019-01-01', '2020-06-01']);
    expect(dayBefore('2020-03-01')).toBe('2020-02-29');
  });
});

describe('the engine dates and bindings the analyses rest on', () => {
  for (const [name, corpus] of [['fixture', fixtureCorpus()], ['real', realCorpus()]] as const) {
    const e = new Engine(corpus);
    const g = gens(e);
    it(`no outcome changes between two of a jurisdiction's segment dates, and the binding provisions are the trace's (property, ${name} corpus)`, () => {
      fc.assert(fc.property(g.jurisdiction, g.agency, g.request, g.date, g.facts, (j, a, r, date, facts) => {
        const starts = [FAR_PAST, ...e.segmentDates(j, r)];
        expect([...starts].sort()).toEqual(starts);
        const start = starts.filter((d) => d <= date).pop()!;
        const at = (d: string) => e.outcome({ date: d, jurisdiction: j, agency: a, request: r, facts });
        expect(at(date)).toBe(at(start));
        const ruling = e.rulingScenario({ date, jurisdiction: j, agency: a, request: r, facts });
        const bound = ruling.considered.filter((c) => c.binding).map((c) => `${c.instrument}#${c.provision}`).sort();
        expect(e.bindingProvisions(j, a, r, date).map((p) => p.ref).sort()).toEqual(bound);
      }), { numRuns: 300, seed: propertySeed });
    });
  }
});
