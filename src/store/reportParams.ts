// The parameters of a public report, read the same way from a query string (API) and from flags (CLI): a known
// jurisdiction, a range on the grid of `by`, `descendants` true or false, and the suppression threshold.
import { ContractError } from '../app/errors.js';
import { jurisdictionParam, singleValue } from '../app/params.js';
import type { Corpus } from '../policy/corpus.js';
import { ReportRequestError, reportPeriods, type ReportRequest } from './contactReports.js';
import { DEFAULT_SUPPRESSION_THRESHOLD } from './report.js';
import { periodKinds, type PeriodKind } from './reportPeriods.js';
import { MIN_THRESHOLD } from './suppression.js';

/** Largest threshold accepted: beyond it a county's report would be all markers. */
export const MAX_THRESHOLD = 1000;

/** A suppression threshold from a flag, an environment variable or a query: a whole number from 3 to 1000. */
export function thresholdParam(path: string, value: unknown): number {
  if (value === undefined || value === '') return DEFAULT_SUPPRESSION_THRESHOLD;
  const s = String(value);
  const n = Number(s);
  if (!/^[0-9]{1,4}$/.test(s) || n < MIN_THRESHOLD || n > MAX_THRESHOLD) {
    throw new ContractError('bad_input', {
      path, given: s, allowed: [`a whole number from ${MIN_THRESHOLD} to ${MAX_THRESHOLD}`],
      message: `the suppression threshold must be at least ${MIN_THRESHOLD} (below it, "fewer than 2" would say 1)`,
    });
  }
  return n;
}

/** The suppression threshold of this deployment: TRUSTRULES_SUPPRESSION_THRESHOLD, else 5. */
export function thresholdFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return thresholdParam('TRUSTRULES_SUPPRESSION_THRESHOLD', env.TRUSTRULES_SUPPRESSION_THRESHOLD);
}

/**
 * A report request from named values (query parameters or flags), refusing with the contract's error object: which
 * parameter, what was given, what is allowed.
 */
export function reportRequestFrom(q: Readonly<Record<string, unknown>>, corpus: Corpus, threshold: number): ReportRequest {
  const value = (k: string) => singleValue(q, k);
  const required = (k: string, allowed: readonly string[]): string => {
    const v = value(k);
    if (v === undefined || v === '') throw new ContractError('bad_input', { path: k, given: null, allowed, message: `"${k}" is required` });
    return v;
  };
  const jurisdiction = jurisdictionParam(corpus, 'jurisdiction', required('jurisdiction', ['a jurisdiction id, e.g. us/md/montgomery-county']));
  const byText = value('by') ?? 'quarter';
  if (!(periodKinds as readonly string[]).includes(byText)) throw new ContractError('bad_input', { path: 'by', given: byText, allowed: periodKinds, message: 'a report is by month, quarter or year' });
  const by = byText as PeriodKind;
  const from = required('from', ['YYYY-MM-DD, the first day of a period']);
  const to = required('to', ['YYYY-MM-DD, the last day of a period']);
  const d = value('descendants') ?? 'false';
  if (d !== 'true' && d !== 'false') throw new ContractError('bad_input', { path: 'descendants', given: d, allowed: ['true', 'false'], message: 'descendants is true or false' });
  try {
    reportPeriods({ from, to, by });
  } catch (e) {
    throw asContractError(e);
  }
  return { jurisdiction, descendants: d === 'true', from, to, by, threshold };
}

/** A ReportRequestError as the contract's refusal; anything else unchanged. */
export function asContractError(e: unknown): unknown {
  if (!(e instanceof ReportRequestError)) return e;
  return new ContractError('bad_input', { path: e.path, given: e.given === undefined ? null : e.given as string, allowed: e.allowed, message: e.message });
}
