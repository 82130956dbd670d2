// Which agencies a jurisdiction has, and what each can be asked at all: would_change and the analyses offer no other.
import { describe, expect, it } from 'vitest';
import { loadCorpusOrThrow } from '../policy/load.js';
import { vocabulary } from '../vocabulary/vocabulary.js';
import { Engine } from './engine.js';

const corpus = loadCorpusOrThrow();
const engine = new Engine(corpus);
const agencyChanges = (scenario: object) =>
  engine.ruling(scenario).would_change.filter((w) => w.fact === 'actor.agency').flatMap((w) => w.values);

describe('the agencies a jurisdiction has', () => {
  it('reads them from the jurisdiction file: Frederick is policed by its sheriff, Takoma Park has no sheriff, jail or schools', () => {
    expect(engine.agenciesOf('us/md/frederick-county')).toEqual(['sheriff', 'corrections', 'executive', 'school']);
    expect(engine.agenciesOf('us/md/montgomery-county')).toEqual(['police', 'sheriff', 'corrections', 'executive', 'school']);
    expect(engine.agenciesOf('us/md/montgomery-county/takoma-park')).toEqual(['police', 'executive']);
  });

  it('knows who runs every county jail', () => {
    const counties = [...corpus.jurisdictions.values()].filter((j) => j.kind === 'county' || j.id === 'us/md/baltimore-city');
    expect(counties).toHaveLength(24);
    for (const j of counties) {
      expect(j.jail?.runBy, j.id).toMatch(/^(executive|sheriff|state)$/);
      expect(j.jail?.source, j.id).toBeTruthy();
      expect(j.agencies, j.id).toContain('corrections');
    }
    expect(corpus.jurisdictions.get('us/md/baltimore-city')?.jail?.runBy).toBe('state');
    expect(corpus.jurisdictions.get('us/md/garrett-county')?.jail?.runBy).toBe('sheriff');
    expect(corpus.jurisdictions.get('us/md/worcester-county')?.jail?.runBy).toBe('executive');
  });
});

describe('would_change offers only real actors', () => {
  it('never offers a Frederick jail officer the answer of police, a school or another department for a hold', () => {
    const offered = agencyChanges({
      date: '2026-11-15', actor: { jurisdiction: 'us/md/frederick-county', agency: 'corrections' },
      request: 'detain_past_release', basis: 'ice_detainer', matter: 'civil_immigration', serious_offense: false,
    });
    expect(offered).not.toContain('police');
    expect(offered).not.toContain('school');
    expect(offered).not.toContain('executive');
  });

  it('still offers an agency the jurisdiction has whose answer differs', () => {
    // Montgomery 2020: EO 135-19 binds the county's police, not the elected sheriff.
    const offered = agencyChanges({
      date: '2020-03-01', actor: { jurisdiction: 'us/md/montgomery-county', agency: 'police' },
      request: 'inquire_status', subject: 'other', setting: 'stop_or_arrest', purpose: 'immigration_enforcement',
    });
    expect(offered.length).toBeGreaterThan(0);
    for (const a of offered) expect(engine.offers('us/md/montgomery-county', String(a), 'inquire_status')).toBe(true);
  });

  it('offers a Takoma Park officer no sheriff, jail or school', () => {
    for (const request of vocabulary().requestIds) {
      const offered = agencyChanges({ date: '2026-06-01', actor: { jurisdiction: 'us/md/montgomery-county/takoma-park', agency: 'police' }, request });
      expect(offered.filter((a) => a !== 'executive'), request).toEqual([]);
    }
  });

  it('answers decide for any valid actor all the same', () => {
    const d = engine.ruling({ date: '2026-06-01', actor: { jurisdiction: 'us/md/frederick-county', agency: 'police' }, request: 'inquire_status' });
    expect(d.outcome).toBeDefined();
  });
});

describe('what an agency can be asked', () => {
  it('a school or a library holds nobody: no hold, release notice, transfer, custody access or civil arrest', () => {
    const v = vocabulary();
    for (const r of ['detain_past_release', 'notify_release', 'transfer_custody', 'grant_custody_access', 'arrest_civil']) {
      expect(v.performs('school', r), r).toBe(false);
      expect(v.performs('executive', r), r).toBe(false);
      expect(v.performs('corrections', r), r).toBe(true);
    }
    expect(v.performs('school', 'grant_facility_access')).toBe(true);
    expect(v.performs('executive', 'immigration_agreement')).toBe(true);
    expect(v.performs('nobody', 'inquire_status')).toBe(false);
  });
});
