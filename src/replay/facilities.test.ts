import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../vocabulary/vocabulary.js';
import { loadCorpusOrThrow } from '../policy/load.js';
import { FacilityTable, FacilityTableError, loadFacilityTable, normalizeName, normalizeState } from './facilities.js';

const table = loadFacilityTable();
const excerpt = (name: string) => path.join(packageRoot, 'data', 'detainers', name);

describe('the normaliser', () => {
  it('spells out ICE abbreviations and drops punctuation, so variants of one name compare equal', () => {
    expect(normalizeName('PRINCE GEORGES CO DET CEN')).toBe('PRINCE GEORGES COUNTY DETENTION CENTER');
    expect(normalizeName("Prince George's County Detention Center")).toBe('PRINCE GEORGES COUNTY DETENTION CENTER');
    expect(normalizeName('HOWARD COUNTY DET CNTR')).toBe(normalizeName('Howard County Detention Center'));
    expect(normalizeName("ST. MARY'S CO DET CNTR")).toBe('SAINT MARYS COUNTY DETENTION CENTER');
    expect(normalizeName('US MARSHALS,MARYLAND')).toBe('US MARSHALS MARYLAND');
    expect(normalizeName('  balt   city central ')).toBe('BALTIMORE CITY CENTRAL');
  });

  it('never drops a word: different facilities stay different', () => {
    expect(normalizeName('MONTGOMERY COUNTY DET.')).not.toBe(normalizeName('MONTGOMERY CO MAC SIM BUTLER D.F.'));
    expect(normalizeName('WASHINGTON CO. DETENTION')).not.toBe(normalizeName('WASHINGTON COUNTY JAIL'));
    expect(normalizeName('JESSUP COR. FAC.')).not.toBe(normalizeName('BROCKBRIDGE COR FAC'));
  });

  it('reads states written out or as postal codes', () => {
    expect(normalizeState('MARYLAND')).toBe('MARYLAND');
    expect(normalizeState('md')).toBe('MARYLAND');
    expect(normalizeState(' Md. ')).toBe('MARYLAND');
    expect(normalizeState('AL')).toBe('ALABAMA');
    expect(normalizeState('')).toBe('');
  });
});

describe('placing a facility', () => {
  it('places a name on its row only with the matching city and state', () => {
    const placed = table.place('PRINCE GEORGES CO DET CEN', 'UPPER MARLBORO', 'MARYLAND');
    expect(placed.kind === 'placed' && placed.facility.jurisdiction).toBe('us/md/prince-georges-county');
    const wrongCity = table.place('PRINCE GEORGES CO DET CEN', 'HYATTSVILLE', 'MARYLAND');
    expect(wrongCity).toMatchObject({ kind: 'unplaced', code: 'city_differs', reason: 'the name is in the table, but in UPPER MARLBORO, not HYATTSVILLE' });
  });

  it('leaves namesakes in other states to those states, and never places them on a Maryland row', () => {
    expect(table.place('WASHINGTON COUNTY JAIL', 'STILLWATER', 'MINNESOTA')).toEqual({ kind: 'other_state', state: 'MINNESOTA' });
    expect(table.place('MONTGOMERY CO MAC SIM BUTLER D.F.', 'MONTGOMERY', 'AL')).toEqual({ kind: 'other_state', state: 'ALABAMA' });
    expect(table.place('WASHINGTON COUNTY JAIL', 'HAGERSTOWN', 'MARYLAND').kind).toBe('unplaced');
  });

  it('places by ICE facility code when the record has one, and refuses a record with no state', () => {
    const byCode = table.place('', '', 'MARYLAND', 'montgmd');
    expect(byCode.kind === 'placed' && byCode.facility.id).toBe('montgomery-county-detention-center');
    expect(table.place('MONTGOMERY COUNTY DET.', 'ROCKVILLE', '').kind).toBe('unplaced');
  });

  it('marks federal facilities out of scope', () => {
    const marshals = table.place('US MARSHALS,MARYLAND', 'BALTIMORE', 'MARYLAND');
    expect(marshals.kind === 'placed' && marshals.facility.inScope).toBe(false);
  });

  it('places every Maryland facility named in NPR\'s export, or lists it with the table\'s own reason', () => {
    const seen = new Map<string, { name: string; city: string }>();
    const fy15 = parse(readFileSync(excerpt('npr-maryland-fy15.csv')), { columns: true }) as Record<string, string>[];
    for (const r of fy15) seen.set(`${r['Detainer Detention Facility']}|${r.City}`, { name: r['Detainer Detention Facility']!, city: r.City! });
    const aggregate = parse(readFileSync(excerpt('npr-declined-vs-everythingelse.csv')), { from_line: 2 }) as string[][];
    for (const r of aggregate.filter((x) => x[3] === 'MARYLAND')) seen.set(`${r[1]}|${r[2]}`, { name: r[1]!, city: r[2]! });
    expect(seen.size).toBe(35);
    const unplaced: string[] = [];
    for (const { name, city } of seen.values()) {
      const p = table.place(name, city, 'MARYLAND');
      if (p.kind === 'unplaced') {
        // Only the names the table itself lists as unplaceable, each with its reason; nothing falls through.
        expect(p.code).toBe('listed');
        unplaced.push(name);
      } else {
        expect(p.kind).toBe('placed');
      }
    }
    expect(unplaced.sort()).toEqual(['ANNE ARUNDEL COUNTY PD, SD', 'BAL D D & P']);
  });

  it('names only jurisdictions of the corpus, and gives every row a source', () => {
    const corpus = loadCorpusOrThrow();
    expect(() => table.checkJurisdictions((id) => corpus.jurisdictions.has(id))).not.toThrow();
    for (const f of table.facilities) expect(f.sources.length).toBeGreaterThan(0);
  });
});

describe('the table file', () => {
  const row = { id: 'a', name: 'A', aliases: [{ name: 'A JAIL', city: 'X' }], kind: 'county_detention', jurisdiction: 'us/md/a', agency: 'sheriff', operator: 'A', confidence: 'verified', sources: ['s'] };
  it('rejects a name listed for two facilities', () => {
    expect(() => new FacilityTable({ state: 'MD', facilities: [row, { ...row, id: 'b', aliases: [{ name: 'a jail.', city: 'x' }] }] }))
      .toThrow(/names both a and b/);
  });
  it('rejects an in-scope facility without an actor, and an out-of-scope one with one', () => {
    const { agency: _agency, ...noAgency } = row;
    expect(() => new FacilityTable({ state: 'MD', facilities: [noAgency] })).toThrow(FacilityTableError);
    expect(() => new FacilityTable({ state: 'MD', facilities: [{ ...row, kind: 'federal' }] })).toThrow(/out of scope/);
  });
  it('rejects unknown fields', () => {
    expect(() => new FacilityTable({ state: 'MD', facilities: [{ ...row, county: 'A' }] })).toThrow(FacilityTableError);
  });
});

describe('the facility table and the jurisdiction files agree on who runs each county jail', () => {
  it('a sheriff-run jail in one is sheriff-run in the other; a county department is the county government', () => {
    const corpus = loadCorpusOrThrow();
    const counties = table.facilities.filter((f) => f.kind === 'county_detention' && f.jurisdiction);
    expect(counties.length).toBeGreaterThanOrEqual(22);
    for (const f of counties) {
      const runBy = corpus.jurisdictions.get(f.jurisdiction!)?.jail?.runBy;
      expect(runBy, f.id).toBe(f.agency === 'sheriff' ? 'sheriff' : 'executive');
    }
  });
});
