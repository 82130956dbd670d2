// `trustrules table`: one format at a time, --at today by default (said), filters, and strict dates.
import { describe, expect, it } from 'vitest';
import { cli } from '../fixtures/cli.js';

describe('trustrules table', () => {
  it('prints the summary with the jurisdiction and the date', () => {
    const r = cli(['table', 'us/md/alpha-county', '--at', '2020-01-01', '--agency', 'corrections']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Alpha County \(us\/md\/alpha-county\) on 2020-01-01\n/);
    expect(r.out).not.toMatch(/^ {2}police/m);
  });
  it('gives rows as JSON and CSV, one format at a time', () => {
    const rows = JSON.parse(cli(['table', 'us/md/alpha-county', '--at', '2020-01-01', '--json', '--agency', 'corrections,police']).out).rows;
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r: { scenario: { actor: { agency: string } } }) => r.scenario.actor.agency))).toEqual(new Set(['corrections', 'police']));
    expect(cli(['table', 'us/md/alpha-county', '--at', '2020-01-01', '--csv']).out.split(/\r?\n/)[0]).toMatch(/^[a-z_.]+(,[a-z_.]+)+$/);
    expect(cli(['table', 'us/md/alpha-county', '--json', '--csv']).code).toBe(2);
  });
  it('defaults --at to today, saying so', () => {
    const r = cli(['table', 'us/md/alpha-county']);
    const today = new Date().toISOString().slice(0, 10);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`on ${today}`);
    expect(r.err).toContain(`using today, ${today}`);
  });
  it('refuses a date not on the calendar, an unknown agency and an unknown jurisdiction', () => {
    expect(cli(['table', 'us/md/alpha-county', '--at', '2019-02-30']).err).toMatch(/at: not a valid date/);
    const agency = cli(['table', 'us/md/alpha-county', '--agency', 'navy', '--json']);
    expect(agency.code).toBe(2);
    expect(JSON.parse(agency.out).error).toMatchObject({ path: 'agency', given: 'navy' });
    expect(cli(['table', 'Alpha County']).err).toMatch(/did you mean us\/md\/alpha-county\?/);
  });
});
