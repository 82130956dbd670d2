// Desk times: Maryland's offsets in winter and summer, the spring-forward and fall-back days, and bad input refused.
import { describe, expect, it } from 'vitest';
import { deskTime, zonedDateTime, zonedNow } from './localTime.js';

const NY = 'America/New_York';

describe('desk times', () => {
  it('carry the offset in force at that wall time', () => {
    expect(zonedDateTime('2026-03-07', '14:05', NY)).toBe('2026-03-07T14:05:00-05:00');
    expect(zonedDateTime('2026-07-04', '09:30', NY)).toBe('2026-07-04T09:30:00-04:00');
    // 2026-03-08: clocks go from 02:00 to 03:00; 2026-11-01: from 02:00 back to 01:00.
    expect(zonedDateTime('2026-03-08', '01:30', NY)).toBe('2026-03-08T01:30:00-05:00');
    expect(zonedDateTime('2026-03-08', '03:30', NY)).toBe('2026-03-08T03:30:00-04:00');
    expect(zonedDateTime('2026-11-01', '03:00', NY)).toBe('2026-11-01T03:00:00-05:00');
    expect(zonedDateTime('2026-03-10', '14:05', 'UTC')).toBe('2026-03-10T14:05:00+00:00');
  });

  it('round-trip through the display', () => {
    for (const [d, t] of [['2026-01-15', '08:00'], ['2026-08-15', '23:59']] as const) {
      expect(deskTime(zonedDateTime(d, t, NY)!, NY)).toBe(`${d} ${t}`);
    }
    expect(zonedNow(NY, Date.parse('2026-12-01T03:00:00Z'))).toEqual({ date: '2026-11-30', time: '22:00' });
  });

  it('refuse what is not a date or a time', () => {
    for (const [d, t] of [['2026-02-30', '10:00'], ['2026-13-01', '10:00'], ['2026-01-01', '24:00'], ['2026-01-01', '10:60'], ['yesterday', '10:00'], ['2026-01-01', '']]) {
      expect(zonedDateTime(d!, t!, NY)).toBeNull();
    }
  });
});
