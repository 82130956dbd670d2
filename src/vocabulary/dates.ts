// Calendar dates as the contract writes them (YYYY-MM-DD): one strict check shared by every surface and the domain.
import { z } from 'zod';

// zod's ISO date knows month lengths and leap years, so 2019-02-30 and 2021-02-29 are refused.
const calendarDate = z.iso.date();

/** Whether `value` is a real calendar date written YYYY-MM-DD (2019-02-30 is not). */
export function isCalendarDate(value: unknown): value is string {
  return calendarDate.safeParse(value).success;
}

/** Today's date in UTC, YYYY-MM-DD: the default of every `--at` and `?at=`. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}
