// The facility table (data/facilities/*.yaml): which government and agency run a facility named in ICE's detainer
// data, and the normaliser that places a free-text name, city and state on a row of it without ever guessing.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { packageRoot } from '../vocabulary/vocabulary.js';

/** The bundled table: Maryland. */
export const defaultFacilitiesPath = path.join(packageRoot, 'data', 'facilities', 'maryland.yaml');

/** What kind of place a facility is; federal and private ones are out of scope (no state or local rule binds them). */
export const facilityKinds = [
  'county_detention', 'state_detention', 'state_prison', 'municipal_lockup', 'federal', 'private',
] as const;
/** The kind of a detention facility (county jail, state prison, …). */
export type FacilityKind = (typeof facilityKinds)[number];
const OUT_OF_SCOPE: ReadonlySet<FacilityKind> = new Set(['federal', 'private']);

const aliasSchema = z.strictObject({ name: z.string().min(1), city: z.string().min(1) });
const facilitySchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(1),
  aliases: z.array(aliasSchema).min(1),
  codes: z.array(z.string().min(1)).optional(),
  kind: z.enum(facilityKinds),
  jurisdiction: z.string().min(1).optional(),
  agency: z.string().min(1).optional(),
  operator: z.string().min(1),
  confidence: z.enum(['verified', 'reported', 'inferred']),
  sources: z.array(z.string().min(1)).min(1),
  note: z.string().optional(),
});
const unplacedSchema = z.strictObject({
  name: z.string().min(1), city: z.string(), reason: z.string().min(1), reason_es: z.string().min(1),
});
const tableSchema = z.strictObject({
  state: z.string().min(1),
  facilities: z.array(facilitySchema),
  unplaced: z.array(unplacedSchema).default([]),
});

/** One row of the table: a facility, who runs it, and the sources that say so. */
export interface Facility {
  readonly id: string;
  readonly name: string;
  readonly aliases: readonly { readonly name: string; readonly city: string }[];
  readonly codes: readonly string[];
  readonly kind: FacilityKind;
  /** The actor's jurisdiction and agency; absent for out-of-scope (federal, private) facilities. */
  readonly jurisdiction?: string;
  readonly agency?: string;
  readonly operator: string;
  readonly confidence: 'verified' | 'reported' | 'inferred';
  readonly sources: readonly string[];
  readonly note?: string;
  readonly inScope: boolean;
}

/** Why a name could not be placed, as a typed code (the catalogs word it; `reason` is the English). */
export type UnplacedCode = 'listed' | 'city_differs' | 'no_match' | 'no_state' | 'no_state_match' | 'no_name';

/** A name left unplaced: the code, its parameters, and the reason in English (for the JSON and CSV reports). */
export interface Unplaced {
  readonly kind: 'unplaced';
  readonly code: UnplacedCode;
  /** For `listed`: the table's reasons ({en, es}); `city_differs`: {cities, city}; `no_state_match`: {facility}. */
  readonly params: Readonly<Record<string, string>>;
  readonly reason: string;
}

/** Where a record's facility lands: a row of the table, or a reason it has none. */
export type Placement =
  | { readonly kind: 'placed'; readonly facility: Facility }
  | Unplaced
  /** The record's state is not the table's: not Maryland's business, counted by state. */
  | { readonly kind: 'other_state'; readonly state: string };

/** A problem in the table file itself. */
export class FacilityTableError extends Error {}

// Tokens ICE abbreviates, each to one spelling, so "DET CNTR", "DET. CEN" and "DETENTION CENTER" compare equal.
// Only abbreviations are expanded; no token is dropped or guessed.
const TOKEN_SPELLINGS: Readonly<Record<string, string>> = {
  CO: 'COUNTY', CNTY: 'COUNTY', CTY: 'COUNTY', COUNTY: 'COUNTY',
  DET: 'DETENTION', DETN: 'DETENTION', DETENT: 'DETENTION',
  CTR: 'CENTER', CNTR: 'CENTER', CEN: 'CENTER', CENT: 'CENTER', CENTRE: 'CENTER',
  FAC: 'FACILITY', COR: 'CORRECTIONAL', CORR: 'CORRECTIONAL', CORREC: 'CORRECTIONAL', INST: 'INSTITUTION',
  DEPT: 'DEPARTMENT', PD: 'POLICE DEPARTMENT', SD: 'SHERIFF DEPARTMENT',
  BALT: 'BALTIMORE', BALTO: 'BALTIMORE', DIAGN: 'DIAGNOSTIC', MD: 'MARYLAND', ST: 'SAINT',
};

const STATE_NAMES: Readonly<Record<string, string>> = {
  AL: 'ALABAMA', AK: 'ALASKA', AZ: 'ARIZONA', AR: 'ARKANSAS', CA: 'CALIFORNIA', CO: 'COLORADO', CT: 'CONNECTICUT',
  DE: 'DELAWARE', DC: 'DISTRICT OF COLUMBIA', FL: 'FLORIDA', GA: 'GEORGIA', HI: 'HAWAII', ID: 'IDAHO', IL: 'ILLINOIS',
  IN: 'INDIANA', IA: 'IOWA', KS: 'KANSAS', KY: 'KENTUCKY', LA: 'LOUISIANA', ME: 'MAINE', MD: 'MARYLAND',
  MA: 'MASSACHUSETTS', MI: 'MICHIGAN', MN: 'MINNESOTA', MS: 'MISSISSIPPI', MO: 'MISSOURI', MT: 'MONTANA',
  NE: 'NEBRASKA', NV: 'NEVADA', NH: 'NEW HAMPSHIRE', NJ: 'NEW JERSEY', NM: 'NEW MEXICO', NY: 'NEW YORK',
  NC: 'NORTH CAROLINA', ND: 'NORTH DAKOTA', OH: 'OHIO', OK: 'OKLAHOMA', OR: 'OREGON', PA: 'PENNSYLVANIA',
  PR: 'PUERTO RICO', RI: 'RHODE ISLAND', SC: 'SOUTH CAROLINA', SD: 'SOUTH DAKOTA', TN: 'TENNESSEE', TX: 'TEXAS',
  UT: 'UTAH', VT: 'VERMONT', VA: 'VIRGINIA', WA: 'WASHINGTON', WV: 'WEST VIRGINIA', WI: 'WISCONSIN', WY: 'WYOMING',
};

/**
 * The normal form of a name or city: upper case; apostrophes removed (GEORGE'S → GEORGES); every other
 * non-alphanumeric character a space; abbreviations spelled out by TOKEN_SPELLINGS; single spaces.
 */
export function normalizeName(text: string): string {
  const tokens = text.toUpperCase().replace(/['’`]/g, '').replace(/[^A-Z0-9]+/g, ' ').trim().split(' ');
  return tokens.filter((t) => t !== '').map((t) => TOKEN_SPELLINGS[t] ?? t).join(' ');
}

/** The normal form of a state: its full name in upper case ("MD", "Md." and "Maryland" are all "MARYLAND"). */
export function normalizeState(text: string): string {
  const t = text.toUpperCase().replace(/[^A-Z ]+/g, ' ').replace(/\s+/g, ' ').trim();
  return STATE_NAMES[t] ?? t;
}

/** The table, indexed for placing records. */
export class FacilityTable {
  readonly state: string;
  readonly facilities: readonly Facility[];
  /** Names deliberately left unplaced, with the reason in each language, by normalised name and city. */
  private readonly knownUnplaced = new Map<string, { en: string; es: string }>();
  private readonly byKey = new Map<string, Facility>();
  /** Normalised names of every row, to say "name known, city differs" instead of a bare "not in the table". */
  private readonly citiesByName = new Map<string, string[]>();
  private readonly byCode = new Map<string, Facility>();

  constructor(source: unknown, readonly file = '(facility table)') {
    const parsed = tableSchema.safeParse(source);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new FacilityTableError(`${file}: ${issue.path.join('.')}: ${issue.message}`);
    }
    this.state = normalizeState(parsed.data.state);
    this.facilities = parsed.data.facilities.map((f) => {
      const inScope = !OUT_OF_SCOPE.has(f.kind);
      if (inScope && (!f.jurisdiction || !f.agency)) {
        throw new FacilityTableError(`${file}: ${f.id}: an in-scope facility needs a jurisdiction and an agency`);
      }
      if (!inScope && (f.jurisdiction || f.agency)) {
        throw new FacilityTableError(`${file}: ${f.id}: a ${f.kind} facility is out of scope and takes no jurisdiction or agency`);
      }
      return Object.freeze({ ...f, codes: f.codes ?? [], inScope });
    });
    const ids = new Set<string>();
    for (const f of this.facilities) {
      if (ids.has(f.id)) throw new FacilityTableError(`${file}: facility id ${f.id} is used twice`);
      ids.add(f.id);
      for (const alias of f.aliases) {
        const key = this.key(alias.name, alias.city);
        const other = this.byKey.get(key);
        if (other) throw new FacilityTableError(`${file}: "${alias.name}", ${alias.city} names both ${other.id} and ${f.id}`);
        this.byKey.set(key, f);
        const name = normalizeName(alias.name);
        this.citiesByName.set(name, [...(this.citiesByName.get(name) ?? []), alias.city]);
      }
      for (const code of f.codes) this.byCode.set(code.toUpperCase(), f);
    }
    for (const u of parsed.data.unplaced) this.knownUnplaced.set(this.key(u.name, u.city), { en: u.reason, es: u.reason_es });
  }

  /** Checks that every in-scope facility names a jurisdiction the corpus knows. */
  checkJurisdictions(known: (id: string) => boolean): void {
    for (const f of this.facilities) {
      if (f.jurisdiction && !known(f.jurisdiction)) {
        throw new FacilityTableError(`${this.file}: ${f.id}: jurisdiction ${f.jurisdiction} is not in the corpus`);
      }
    }
  }

  private key(name: string, city: string): string {
    return `${normalizeName(name)}|${normalizeName(city)}`;
  }

  /**
   * Places a record's facility: by ICE facility code when the table lists it, else by name and city after
   * normalising, within the table's state. A record from another state is `other_state`; anything else that does
   * not match exactly is `unplaced` with the reason.
   */
  place(name: string, city: string, state: string, code = ''): Placement {
    const st = normalizeState(state);
    if (st !== '' && st !== this.state) return { kind: 'other_state', state: st };
    if (code !== '') {
      const byCode = this.byCode.get(code.toUpperCase());
      if (byCode) return { kind: 'placed', facility: byCode };
    }
    const unplaced = (code: UnplacedCode, reason: string, params: Record<string, string> = {}): Unplaced => ({ kind: 'unplaced', code, params, reason });
    if (name.trim() === '') return unplaced('no_name', 'no facility name in the record');
    const key = this.key(name, city);
    const facility = this.byKey.get(key);
    if (facility) {
      return st === ''
        ? unplaced('no_state_match', `no state in the record (the name matches ${facility.id} in ${this.state})`, { facility: facility.id })
        : { kind: 'placed', facility };
    }
    const known = this.knownUnplaced.get(key);
    if (known) return unplaced('listed', known.en, known);
    const cities = this.citiesByName.get(normalizeName(name));
    if (cities) {
      return unplaced('city_differs', `the name is in the table, but in ${cities.join(', ')}, not ${city || 'a blank city'}`, { cities: cities.join(', '), city });
    }
    if (st === '') return unplaced('no_state', 'no state in the record and no match in the table');
    return unplaced('no_match', 'no facility in the table matches this name and city');
  }
}

/** Reads and checks a facility table file (YAML). */
export function loadFacilityTable(file: string = defaultFacilitiesPath): FacilityTable {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new FacilityTableError(`cannot read the facility table ${file}: ${(e as Error).message}`);
  }
  return new FacilityTable(parseYaml(text) as unknown, path.relative(process.cwd(), file) || file);
}
