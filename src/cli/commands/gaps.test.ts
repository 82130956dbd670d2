// `trustrules gaps`: where a jurisdiction protects less than a model; --at today by default.
import { describe, expect, it } from 'vitest';
import { cli } from '../fixtures/cli.js';

describe('trustrules gaps', () => {
  it('finds where a jurisdiction protects less than an instrument assumed in force', () => {
    const d = JSON.parse(cli(['gaps', 'us/md/alpha-county/beta-city', '--against', 'state-bill', '--at', '2018-01-01', '--json']).out);
    expect(d.a.jurisdiction).toBe('us/md/alpha-county/beta-city');
    expect(d.differences.length).toBeGreaterThan(0);
    expect(d.differences.every((x: { b: string }) => x.b === 'prohibited')).toBe(true);
  });
  it('defaults --at to today, and refuses a model that is nowhere in the corpus', () => {
    expect(cli(['gaps', 'us/md/alpha-county', '--against', 'state-bill']).err).toContain('using today');
    const r = cli(['gaps', 'us/md/alpha-county', '--against', 'nothing', '--at', '2020-01-01', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).error).toMatchObject({ path: 'against', given: 'nothing' });
  });
});
