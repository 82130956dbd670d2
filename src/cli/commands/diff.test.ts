// `trustrules diff`: two jurisdictions, two dates, or the law and a what-if; --at today by default.
import { describe, expect, it } from 'vitest';
import { cli } from '../fixtures/cli.js';

describe('trustrules diff', () => {
  it('compares two jurisdictions on a date', () => {
    const r = cli(['diff', 'us/md/alpha-county', 'us/md/alpha-county/beta-city', '--at', '2020-01-01', '--json']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.out);
    expect(d.a).toMatchObject({ jurisdiction: 'us/md/alpha-county', date: '2020-01-01' });
    expect(d.b).toMatchObject({ jurisdiction: 'us/md/alpha-county/beta-city', date: '2020-01-01' });
    expect(d.differences.every((x: { a: string; b: string }) => x.a !== x.b)).toBe(true);
  });
  it('compares a jurisdiction with itself under a what-if', () => {
    const d = JSON.parse(cli(['diff', 'us/md/alpha-county', '--at', '2018-01-01', '--assume-in-force', 'state-bill', '--json']).out);
    expect(d.b.assumptions).toEqual({ in_force: ['state-bill'], not_in_force: [] });
    expect(d.differences.length).toBeGreaterThan(0);
  });
  it('defaults --at to today, and refuses nothing to compare against', () => {
    const r = cli(['diff', 'us/md/alpha-county', 'us/md/alpha-county/beta-city']);
    expect(r.code).toBe(0);
    expect(r.err).toContain(`using today, ${new Date().toISOString().slice(0, 10)}`);
    expect(cli(['diff', 'us/md/alpha-county', '--at', '2020-01-01']).code).toBe(2);
  });
});
