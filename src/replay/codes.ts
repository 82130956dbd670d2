// How a detainer record's free-text fields are read: the lift reason as what the facility did, the detainer type as
// the form and the request it makes, and the prepare date as a calendar day (data/facilities/detainer-codes.yaml).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { packageRoot } from '../vocabulary/vocabulary.js';

/** What a lift reason says the facility did: refused the detainer, handed the person to ICE, or something else. */
export type LiftClass = 'declined' | 'custody' | 'other';

/** The requests a detainer form can make, in contract vocabulary. */
export const detainerRequests = ['detain_past_release', 'notify_release', 'transfer_custody'] as const;
/** A detainer record's request, as the replay maps it to the vocabulary. */
export type DetainerRequest = (typeof detainerRequests)[number];

/** The bundled table of record codes and what they mean. */
export const defaultCodesPath = path.join(packageRoot, 'data', 'facilities', 'detainer-codes.yaml');

const codesSchema = z.strictObject({
  lift_reasons: z.strictObject({ declined: z.array(z.string()), custody: z.array(z.string()), other: z.array(z.string()) }),
  forms: z.record(z.string().regex(/^I247[A-Z]?$/), z.enum(detainerRequests)),
});

const fold = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();

/** The lift-reason and form tables, with per-value caches: bulk input repeats a handful of values millions of times. */
export class DetainerCodes {
  private readonly liftTable = new Map<string, LiftClass>();
  private readonly forms: ReadonlyMap<string, DetainerRequest>;
  private readonly liftCache = new Map<string, LiftClass>();
  private readonly formCache = new Map<string, DetainerRequest | null>();
  /** The request of form I247 (index 0) and I247A…Z (1…26). */
  private readonly formByLetter: (DetainerRequest | undefined)[] = [];
  private readonly blankClass: LiftClass;
  /** The first listed spelling of each class, as ICE writes it. */
  private readonly commonCustody: string;
  private readonly commonDeclined: string;

  constructor(source: unknown) {
    const parsed = codesSchema.parse(source);
    for (const cls of ['declined', 'custody', 'other'] as const) {
      for (const value of parsed.lift_reasons[cls]) this.liftTable.set(fold(value), cls);
    }
    this.forms = new Map(Object.entries(parsed.forms));
    for (const [form, request] of this.forms) this.formByLetter[form.length === 4 ? 0 : form.charCodeAt(4) - 64] = request;
    this.blankClass = this.liftTable.get('') ?? 'other';
    this.commonCustody = parsed.lift_reasons.custody[0] ?? '\u0000';
    this.commonDeclined = parsed.lift_reasons.declined[0] ?? '\u0000';
  }

  /** The class of a lift reason; an unlisted or blank one is `other`. */
  liftClass(raw: string): LiftClass {
    // The values that fill most records, compared first: cheaper than hashing each fresh string for the cache.
    if (raw === '') return this.blankClass;
    if (raw === this.commonCustody) return 'custody';
    if (raw === this.commonDeclined) return 'declined';
    let cls = this.liftCache.get(raw);
    if (cls === undefined) {
      cls = this.liftTable.get(fold(raw)) ?? 'other';
      if (this.liftCache.size < 10_000) this.liftCache.set(raw, cls);
    }
    return cls;
  }

  /** The request a detainer type asks for, from its leading form number ("I247A - …"); null when it names no known form. */
  formRequest(raw: string): DetainerRequest | null {
    // "I247" then a letter and a space, or a space: read the form from its first characters, without a lookup.
    if (raw.length > 5 && raw.charCodeAt(0) === 73 && raw.charCodeAt(1) === 50 && raw.charCodeAt(2) === 52 && raw.charCodeAt(3) === 55) {
      const c4 = raw.charCodeAt(4);
      if (c4 === 32) return this.formByLetter[0] ?? null;
      if (c4 >= 65 && c4 <= 90 && raw.charCodeAt(5) === 32) return this.formByLetter[c4 - 64] ?? null;
    }
    let request = this.formCache.get(raw);
    if (request === undefined) {
      const m = /^\s*I[\s-]?247\s*([A-Z])?(?![A-Z0-9])/i.exec(raw);
      request = m ? (this.forms.get(`I247${(m[1] ?? '').toUpperCase()}`) ?? null) : null;
      if (this.formCache.size < 10_000) this.formCache.set(raw, request);
    }
    return request;
  }
}

/** Reads the bundled (or given) codes file. */
export function loadDetainerCodes(file: string = defaultCodesPath): DetainerCodes {
  return new DetainerCodes(parseYaml(readFileSync(file, 'utf8')) as unknown);
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

function validDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || d > DAYS_IN_MONTH[m - 1]!) return false;
  return m !== 2 || d < 29 || (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0));
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A prepare date as YYYY-MM-DD, or null. Accepts ISO dates and date-times ("2024-12-08 00:00:00"), NPR's
 * M/D/YY and M/D/YYYY (two-digit years as Python's %y reads them: 69-99 are 19xx, 00-68 are 20xx) with an optional
 * time, and Excel day serials between 20000 and 80000 (1954-2119), the form ICE's spreadsheets store.
 */
export function isoDay(raw: string): string | null {
  const s = raw.trim();
  let y: number, m: number, d: number;
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:$|[ T])/.exec(s);
  if (iso) {
    [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else {
    const us = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})(?:$|\s)/.exec(s);
    if (us) {
      [m, d, y] = [Number(us[1]), Number(us[2]), Number(us[3])];
      if (us[3]!.length === 2) y += y >= 69 ? 1900 : 2000;
    } else if (/^\d{5}(\.\d+)?$/.test(s) && Number(s) >= 20000 && Number(s) <= 80000) {
      return new Date(EXCEL_EPOCH + Math.floor(Number(s)) * 86_400_000).toISOString().slice(0, 10);
    } else {
      return null;
    }
  }
  return validDay(y, m, d) ? `${String(y).padStart(4, '0')}-${pad(m)}-${pad(d)}` : null;
}
