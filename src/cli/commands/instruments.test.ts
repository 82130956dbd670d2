// `trustrules instruments`: the contract listing, the readable table, --inherited, dates and near misses.
import { describe, expect, it } from 'vitest';
import { cli } from '../fixtures/cli.js';

const ids = (args: string[]) => JSON.parse(cli(['instruments', '--json', ...args]).out).map((i: { id: string }) => i.id);

describe('trustrules instruments', () => {
  it('lists instruments with status, in_force intervals, confidence, sources and provisions', () => {
    const list = JSON.parse(cli(['instruments', '--json', '--at', '2020-01-01']).out);
    expect(list.find((i: { id: string }) => i.id === 'alpha-order')).toMatchObject({
      title: 'Alpha County Executive Order', jurisdiction: 'us/md/alpha-county', kind: 'executive_order', status: 'in_force',
      in_force: [{ from: '2017-04-05', to: '2025-01-01' }], confidence: 'verified', sources: [{ citation: 'fixture' }],
      provisions: expect.arrayContaining([expect.objectContaining({ id: 'no-holds', effect: 'prohibit', requests: ['detain_past_release'], quote: 'shall not cause to be detained' })]),
    });
    expect(list.find((i: { id: string }) => i.id === 'state-bill').status).toBe('vetoed');
  });

  it('prints a readable table: title, kind, status, in force, confidence, and the date it used', () => {
    const r = cli(['instruments', '--at', '2020-01-01']);
    expect(r.out).toMatch(/^Status as of 2020-01-01\n/);
    expect(r.out).toMatch(/^id +title +kind +status +in force +confidence$/m);
    expect(r.out).toMatch(/^alpha-order +Alpha County Executive Order +executive order +in force +2017-04-05 – 2025-01-01 +verified$/m);
    expect(r.out).toMatch(/^state-bill .* vetoed +never +/m);
  });

  it('defaults --at to today and says so', () => {
    const r = cli(['instruments']);
    const today = new Date().toISOString().slice(0, 10);
    expect(r.out).toMatch(new RegExp(`^Status as of ${today}`));
    expect(r.err).toContain(`using today, ${today}`);
  });

  it('lists with --inherited everything that binds the jurisdiction: its own and the enclosing laws', () => {
    const own = ids(['--jurisdiction', 'us/md/alpha-county']);
    const inherited = ids(['--jurisdiction', 'us/md/alpha-county', '--inherited']);
    expect(own.length).toBeGreaterThan(0);
    expect(inherited).toEqual(expect.arrayContaining([...own, 'state-law', 'state-bill']));
    // A city's list holds its county's ordinances only if they reach its territory, never the county's own orders.
    const city = ids(['--jurisdiction', 'us/md/alpha-county/beta-city', '--inherited']);
    expect(city).toContain('state-law');
    expect(city).not.toContain('alpha-order');
    expect(cli(['instruments', '--inherited']).code).toBe(2);
  });

  it('suggests the jurisdiction meant by a name or a misspelling', () => {
    const r = cli(['instruments', '--jurisdiction', 'Alpha County', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).error).toMatchObject({ path: 'jurisdiction', given: 'Alpha County', did_you_mean: ['us/md/alpha-county'] });
    expect(r.err).toMatch(/did you mean us\/md\/alpha-county\?/);
    expect(cli(['instruments', '--jurisdiction', 'us/md/alfa-county']).err).toMatch(/did you mean us\/md\/alpha-county/);
  });

  it('refuses a date that is not on the calendar', () => {
    for (const at of ['2019-02-30', 'yesterday']) {
      const r = cli(['instruments', '--at', at]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/at: not a valid date/);
    }
  });
});
