// The jurisdiction listing of the real corpus: every Maryland government a clerk can work for, with the offices
// a search finds them by.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../vocabulary/vocabulary.js';
import { instrumentJson, jurisdictionJson } from './listing.js';
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

  it('gives a town or county police exactly where the FBI\'s list of Maryland agencies has its own department, citing that list', () => {
    // data/places/maryland-police.json: the municipal rows of the FBI's list, by the town's GEOID.
    const fbi = JSON.parse(readFileSync(path.join(packageRoot, 'data/places/maryland-police.json'), 'utf8')) as {
      source: { url: string }; agencies: { geoid: string; ori: string }[];
    };
    const ori = new Map(fbi.agencies.map((a) => [a.geoid, a.ori]));
    const towns = [...corpus.jurisdictions.values()].filter((j) => j.id.startsWith('us/md/') && j.parent !== 'us/md');
    for (const t of towns) {
      const listing = jurisdictionJson(t, corpus);
      expect({ id: t.id, police: listing.agencies.includes('police') }).toEqual({ id: t.id, police: ori.has(t.fips) });
      const cited = (t.sources ?? []).filter((s) => s.url === fbi.source.url);
      expect(cited, t.id).toHaveLength(1);
      if (ori.has(t.fips)) expect(cited[0]!.title, t.id).toContain(`ORI ${ori.get(t.fips)}`);
    }
    expect(towns.filter((t) => ori.has(t.fips))).toHaveLength(76);
    // Each county (and Baltimore City) cites the same list, which names a county police department exactly where
    // the county lists police: the other eighteen are policed by their sheriff.
    const counties = [...corpus.jurisdictions.values()].filter((j) => j.parent === 'us/md');
    for (const c of counties) {
      const cited = (c.sources ?? []).filter((s) => s.url === fbi.source.url);
      expect(cited, c.id).toHaveLength(1);
      expect({ id: c.id, police: /Police Department, ORI/.test(cited[0]!.title!) }).toEqual({ id: c.id, police: jurisdictionJson(c, corpus).agencies.includes('police') });
    }
    expect(counties.filter((c) => jurisdictionJson(c, corpus).agencies.includes('police'))).toHaveLength(6);
  });

  it('lists each county\'s school system as its school office, in English and Spanish', () => {
    const withSchools = listed.filter((j) => j.offices?.some((o) => o.agency === 'school'));
    expect(withSchools.map((j) => j.parent)).toEqual(Array(24).fill('us/md'));
    expect(listed.find((j) => j.id === 'us/md/montgomery-county')!.offices).toEqual([
      { agency: 'school', name: 'Montgomery County Public Schools', short: 'MCPS', translations: { es: { name: 'Escuelas Públicas del Condado de Montgomery' } } },
    ]);
    for (const j of withSchools) expect(j.agencies, j.id).toContain('school');
  });

  it('gives each jurisdiction\'s note in Spanish beside its English one, with its Spanish name where it differs', () => {
    const montgomery = listed.find((j) => j.id === 'us/md/montgomery-county')!;
    expect(montgomery.translations?.es).toEqual({ name: 'Condado de Montgomery', note: expect.stringContaining('Orden ejecutiva 135-19 (2019)') });
    const poolesville = listed.find((j) => j.id === 'us/md/montgomery-county/poolesville')!;
    expect(poolesville.translations).toEqual({ es: { note: expect.stringMatching(/^Pueblo de Poolesville \(GEOID del Censo 2462850\)\. No se conoce/) } });
    for (const j of listed) if (j.note) expect(j.translations?.es?.note, j.id).toBeTruthy();
  });
});

describe('the instrument listing', () => {
  it('gives an instrument\'s summary and event notes in Spanish beside the English, as the file gives them', () => {
    const eo = instrumentJson(corpus.instruments.get('montgomery-eo-135-19')!, '2026-12-01');
    expect(eo.translations).toEqual({ es: { summary: expect.stringMatching(/^Los departamentos del poder ejecutivo del Condado de Montgomery/) } });
    const noted = eo.events.filter((e) => e.note);
    expect(noted.length).toBeGreaterThan(0);
    for (const e of noted) expect(e.translations?.es?.note, `${e.date} ${e.type}`).toBeTruthy();
  });
});
