// `trustrules timeline`: the dates on which an outcome changed, within --from/--to.
import { describe, expect, it } from 'vitest';
import { cli } from '../fixtures/cli.js';

describe('trustrules timeline', () => {
  it('lists changes in date order within the range, each naming what came into or went out of force', () => {
    const t = JSON.parse(cli(['timeline', 'us/md/alpha-county', '--from', '2000-01-01', '--json']).out);
    expect(t).toMatchObject({ jurisdiction: 'us/md/alpha-county', from: '2000-01-01', to: null });
    const dates = t.changes.map((c: { date: string }) => c.date);
    expect(dates).toEqual([...dates].sort());
    expect(dates.every((d: string) => d > '2000-01-01')).toBe(true);
    expect(t.changes.some((c: { instruments: { instrument: string }[] }) => c.instruments.some((i) => i.instrument === 'alpha-order'))).toBe(true);
    expect(cli(['timeline', 'us/md/alpha-county']).out).toMatch(/^Timeline of Alpha County \(us\/md\/alpha-county\)/);
  });
  it('refuses a bad date', () => {
    expect(cli(['timeline', 'us/md/alpha-county', '--to', '2020-02-31']).code).toBe(2);
  });
});
