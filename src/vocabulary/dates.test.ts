// The calendar date check agrees with zod's ISO date (the scenario schema's) on every kind of text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { calendarDay, isCalendarDate } from './dates.js';

const byZod = (v: unknown) => z.iso.date().safeParse(v).success;
const pad = (n: number, width: number) => String(n).padStart(width, '0');

describe('isCalendarDate', () => {
  it('agrees with zod on every month and day 00-39 of leap, common and century years', () => {
    for (const year of [0, 1, 4, 100, 200, 400, 1900, 1996, 2000, 2017, 2019, 2020, 2024, 2100, 2400, 9999]) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 39; day++) {
          const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
          expect(isCalendarDate(text), text).toBe(byZod(text));
        }
      }
    }
  });

  it('agrees with zod on February 29 of every year 0000-9999', () => {
    for (let year = 0; year <= 9999; year++) {
      const text = `${pad(year, 4)}-02-29`;
      expect(isCalendarDate(text), text).toBe(byZod(text));
    }
  });

  it('refuses what is not a bare date', () => {
    for (const v of ['2019-2-03', '2019-02-3', '2019/02/03', ' 2019-02-03', '2019-02-03 ', '2019-02-03\n', '2019-02-03T00:00', '١٢٣٤-02-03', '201a-02-03', '+019-02-03', '', 20190203, null, undefined, new Date()]) {
      expect(isCalendarDate(v), String(v)).toBe(false);
      expect(byZod(v)).toBe(false);
    }
  });

  it('agrees with zod on seeded random texts of ten characters from digits and dashes', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'0123456789-x'), minLength: 8, maxLength: 11 }), (text) => {
      expect(isCalendarDate(text)).toBe(byZod(text));
    }), { seed: 20261202, numRuns: 5_000 });
  });
});

describe('calendarDay', () => {
  const text = fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

  it('is -1 exactly where isCalendarDate refuses, on seeded random texts', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'0123456789-x'), minLength: 8, maxLength: 11 }), (t) => {
      expect(calendarDay(t) >= 0).toBe(isCalendarDate(t));
    }), { seed: 20261203, numRuns: 5_000 });
    expect(calendarDay('2019-02-30')).toBe(-1);
    expect(calendarDay(20190203)).toBe(-1);
  });

  it('orders two calendar dates exactly as their texts compare', () => {
    fc.assert(fc.property(text, text, (a, b) => {
      expect(Math.sign(calendarDay(a) - calendarDay(b))).toBe(a < b ? -1 : a > b ? 1 : 0);
    }), { seed: 20261203, numRuns: 20_000 });
    expect(calendarDay('2019-12-31')).toBeLessThan(calendarDay('2020-01-01'));
    expect(calendarDay('2020-01-31')).toBeLessThan(calendarDay('2020-02-01'));
    expect(calendarDay('0000-01-01')).toBeGreaterThan(0);
  });
});
