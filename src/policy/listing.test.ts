// The jurisdiction listing of the real corpus: every Maryland government a clerk can work for, with the offices
// a search finds them by.
import { describe, expect, it } from 'vitest';
import { jurisdictionJson } from './listing.js';
import { defaultPoliciesRoot, loadCorpusOrThrow } from './load.js';

const corpus = loadCorpusOrThrow(defaultPoliciesRoot);
const listed = [...corpus.jurisdictions.values()].map((j) => jurisdictionJson(j, corpus));

describe('the jurisdiction listing', () => {
  it('has the 24 county-level governments and the 156 municipalities under them, each town with its Census GEOID', () => {
    const md = listed.filter((j) => j.id.startsWith('us/md/'));
    expect(md.filter((j) => j.parent === 'us/md')).toHaveLength(24);
    const towns = md.filter((j) => j.parent !== 'us/md');
    expect(towns).toHaveLength(156);
    for (const t of towns) {
      expect({ id: t.id, kind: t.kind, geoid: /^24\d{5}$/.test(t.fips) }).toEqual({ id: t.id, kind: 'city', geoid: true });
      expect(t.agencies, t.id).not.toContain('sheriff');
      expect(t.agencies, t.id).not.toContain('school');
    }
    expect(new Set(towns.map((t) => t.fips)).size).toBe(156);
  });

  it('lists each county\'s school system as its school office, in English and Spanish', () => {
    const withSchools = listed.filter((j) => j.offices?.some((o) => o.agency === 'school'));
    expect(withSchools.map((j) => j.parent)).toEqual(Array(24).fill('us/md'));
    expect(listed.find((j) => j.id === 'us/md/montgomery-county')!.offices).toEqual([
      { agency: 'school', name: 'Montgomery County Public Schools', short: 'MCPS', translations: { es: { name: 'Escuelas Públicas del Condado de Montgomery' } } },
    ]);
    for (const j of withSchools) expect(j.agencies, j.id).toContain('school');
  });
});
