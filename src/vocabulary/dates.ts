// Calendar dates as the contract writes them (YYYY-MM-DD): one strict check shared by every surface and the domain.

/**
 * Whether `value` is a real calendar date written YYYY-MM-DD (2019-02-30 is not): exactly what zod's `z.iso.date()`
 * accepts (month lengths, Gregorian leap years, any four-digit year; dates.test.ts checks the two agree), read digit by
 * digit because every validated decision asks it: zod's parse, or its regular expression, was a tenth of the cost.
 */
export function isCalendarDate(value: unknown): value is string {
  return calendarDay(value) >= 0;
}

/**
 * The calendar date `value` (YYYY-MM-DD) as one number that orders as the text does (year × 512 + month × 32 + day),
 * or -1 when it is not a calendar date (isCalendarDate's check): the engine finds a date's segment comparing these
 * numbers instead of strings. Not a count of days: subtract nothing from it.
 */
export function calendarDay(value: unknown): number {
  if (typeof value !== 'string' || value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return -1;
  let year = 0;
  for (let i = 0; i < 4; i++) {
    const d = value.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    year = year * 10 + d;
  }
  const m1 = value.charCodeAt(5) - 48, m2 = value.charCodeAt(6) - 48, d1 = value.charCodeAt(8) - 48, d2 = value.charCodeAt(9) - 48;
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return -1;
  const month = m1 * 10 + m2, day = d1 * 10 + d2;
  if (month < 1 || month > 12 || day < 1) return -1;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return day <= days ? year * 512 + month * 32 + day : -1;
}

/** Today's date in UTC, YYYY-MM-DD: the default of every `--at` and `?at=`. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}
