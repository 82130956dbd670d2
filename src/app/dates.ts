// The `at` of every command and endpoint: a strict calendar date, today when it is not given.
import { isCalendarDate, today } from '../vocabulary/dates.js';
import { ContractError } from './errors.js';

/**
 * A date parameter: `value` when it is a calendar date (YYYY-MM-DD), `fallback` when it is absent (undefined or ''),
 * otherwise a ContractError `bad_date` naming `path`. With no fallback an absent date is refused as required.
 */
export function dateParam(path: string, value: unknown, fallback?: string): string {
  if ((value === undefined || value === '') && fallback !== undefined) return fallback;
  if (isCalendarDate(value)) return value;
  throw new ContractError('bad_date', {
    path, given: value ?? null, allowed: ['YYYY-MM-DD'], message: value === undefined ? 'required: a date (YYYY-MM-DD)' : 'not a valid date (YYYY-MM-DD)',
  });
}

export { today };
