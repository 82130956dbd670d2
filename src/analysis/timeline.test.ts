// The timeline: the dates on which some outcome changed, and what came into or out of force.
import { describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine.js';
import { fixtureCorpus } from './fixtures/corpus.js';
import { dayBefore, timeline } from './timeline.js';

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

  it('honours --from and --to', () => {
    expect([...timeline(engine, 'us/md/alpha-county', { from: '2018-01-01', to: '2020-06-01' })].map((e) => e.date)).toEqual(['2019-01-01', '2020-06-01']);
    expect(dayBefore('2020-03-01')).toBe('2020-02-29');
  });
});
