// Parameters as the surfaces receive them (repeated or comma-separated lists, flags, single values), checked once.
import type { Corpus } from '../policy/corpus.js';
import { ContractError, unknownJurisdiction } from './errors.js';

/** A repeatable, comma-separable parameter (`--agency police,corrections --agency sheriff`, `?agency=a,b&agency=c`). */
export function listValues(value: unknown): string[] {
  const raw = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
  return raw.flatMap((v) => String(v).split(',')).map((s) => s.trim()).filter(Boolean);
}

/** A list parameter, or undefined when it was not given at all (so "not filtered" stays distinct from "empty"). */
export function optionalList(value: unknown): string[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return listValues(value);
}

/** Commander's collector for a repeatable option: each occurrence appended. */
export function collect(value: string, previous: readonly string[] = []): string[] {
  return [...previous, value];
}

/** A query parameter given at most once. */
export function singleValue(query: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const v = query[key];
  if (v === undefined) return undefined;
  if (Array.isArray(v)) throw new ContractError('bad_input', { path: key, given: v, allowed: ['one value'], message: `give "${key}" once` });
  return String(v);
}

/** A boolean query parameter: present means true, except `false` and `0`. */
export function flagValue(query: Readonly<Record<string, unknown>>, key: string): boolean {
  const v = query[key];
  return v !== undefined && v !== 'false' && v !== '0';
}

/** Refuses parameters the endpoint does not take, so a misspelt what-if is never silently ignored. */
export function knownQuery(query: unknown, known: readonly string[]): Record<string, unknown> {
  const q = (query ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(q)) {
    if (!known.includes(key)) {
      throw new ContractError('unknown_parameter', {
        path: key, given: q[key] ?? null, allowed: known, message: known.length ? `unknown query parameter "${key}"` : 'this endpoint takes no query parameters',
      });
    }
  }
  return q;
}

/** A jurisdiction id of the corpus; anything else is `unknown_jurisdiction`, with the nearest ids as did_you_mean. */
export function jurisdictionParam(corpus: Corpus, path: string, value: unknown): string {
  if (typeof value === 'string' && corpus.jurisdictions.has(value)) return value;
  throw unknownJurisdiction(corpus, path, value);
}

