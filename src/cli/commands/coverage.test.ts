// `trustrules coverage`: provisions and scenario rows the policy tests exercise, for chosen jurisdictions.
import { describe, expect, it } from 'vitest';
import { run, testedFixtureRoot } from '../fixtures/cli.js';

const coverage = (...args: string[]) => run(['--policies', testedFixtureRoot, 'coverage', ...args]);

describe('trustrules coverage', () => {
  it('counts the provisions the tests exercise and the rows of the jurisdictions asked for', () => {
    const r = JSON.parse(coverage('--at', '2018-01-10', '--jurisdiction', 'us/md/alpha-county', '--json').out);
    expect(r.at).toBe('2018-01-10');
    expect(r.provisions.exercised).toBe(2);
    expect(new Set(r.space.map((s: { jurisdiction: string }) => s.jurisdiction))).toEqual(new Set(['us/md/alpha-county']));
    expect(r.rowsExercised).toBeGreaterThan(0);
  });
  it('refuses an unknown jurisdiction with a suggestion, and a bad date', () => {
    expect(coverage('--jurisdiction', 'Alpha County').err).toMatch(/did you mean us\/md\/alpha-county\?/);
    expect(coverage('--at', '2021-02-29').code).toBe(2);
  });
});
