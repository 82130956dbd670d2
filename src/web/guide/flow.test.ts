// The guide's choice of questions against the engine, on the real corpus: seeded random walks where, at every step,
// the fact asked is checked to matter by brute force over every fact the vocabulary says the request can read (not
// the engine's own list), and at the end nothing left unasked could change the outcome. Also the place search.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../app/presentation/messages.js';
import { Engine } from '../../engine/engine.js';
import { defaultPoliciesRoot, loadCorpus } from '../../policy/load.js';
import { agenciesOf, nextStep, scenarioOf, type GuideAnswers } from './flow.js';
import { guidePlaces } from './pages.js';
import { searchJurisdictions } from './search.js';
import { canChange } from '../testing/guide.js';

let engine: Engine;
beforeAll(() => {
  engine = new Engine(loadCorpus(defaultPoliciesRoot).corpus!);
});

describe('the guide asks only what can change the answer', () => {
  it('on seeded random walks through the real corpus, at every step and at the end', () => {
    const places = guidePlaces(engine);
    const dates = ['2008-06-01', '2013-01-01', '2017-03-01', '2019-03-01', '2020-07-01', '2022-01-06', '2023-04-01', '2025-10-01', '2026-06-01'];
    let asked = 0;
    let answered = 0;
    fc.assert(fc.property(
      fc.integer({ min: 0, max: places.length - 1 }), fc.nat(), fc.nat(), fc.constantFrom(...dates), fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
      (p, ai, ri, date, picks) => {
        const j = places[p]!;
        const { agencies } = agenciesOf(engine, j);
        const request = engine.vocabulary.requestIds[ri % engine.vocabulary.requestIds.length]!;
        let a: GuideAnswers = { date, jurisdiction: j.id, agency: agencies[ai % agencies.length]!, request, facts: new Map() };
        for (let k = 0; ; k++) {
          const step = nextStep(engine, a);
          if (step.kind === 'answer') {
            answered++;
            // Nothing left unasked could change it.
            for (const f of engine.vocabulary.factsFor(request)) {
              if (!a.facts.has(f.id)) expect({ fact: f.id, scenario: step.scenario, matters: canChange(engine, step.scenario, f) }).toMatchObject({ matters: false });
            }
            if (step.scenario !== undefined) expect(engine.outcome(engine.codec.parse(step.scenario))).toBe(engine.ruling(step.scenario).outcome);
            return;
          }
          expect(step.kind).toBe('fact');
          if (step.kind !== 'fact') return;
          asked++;
          const scenario = scenarioOf(engine, { ...a, jurisdiction: j.id, agency: a.agency!, request });
          expect({ fact: step.fact.id, scenario, matters: canChange(engine, scenario, step.fact) }).toMatchObject({ matters: true });
          const choices = [...step.fact.values.map((v) => v.id), 'unknown'];
          a = { ...a, facts: new Map([...a.facts, [step.fact.id, choices[picks[k % picks.length]! % choices.length]!]]) };
        }
      },
    ), { seed: 20261201, numRuns: 100 });
    expect(answered).toBe(100);
    // The walks must ask questions, not only answer. The count moves with the mix of requests: the 13th,
    // detention_agreement, reads few facts and took this seed's 100 walks from over 25 questions to 22.
    expect(asked).toBeGreaterThan(15);
  });

  it('goes straight to the answer when nothing more can change it', () => {
    // 8 U.S.C. 1373: sharing status information is permitted everywhere, whatever was shown.
    const step = nextStep(engine, { date: '2024-01-01', jurisdiction: 'us/md/montgomery-county', agency: 'police', request: 'share_status_info', facts: new Map() });
    expect(step.kind).toBe('answer');
  });

  it('asks what was shown first when a librarian is asked to let agents in', () => {
    const step = nextStep(engine, { date: '2024-03-10', jurisdiction: 'us/md/montgomery-county', agency: 'executive', request: 'grant_facility_access', facts: new Map() });
    expect(step).toMatchObject({ kind: 'fact', fact: { id: 'basis' } });
  });

  it('offers a town no sheriff, and a county its own', () => {
    const takoma = engine.corpus.jurisdictions.get('us/md/montgomery-county/takoma-park')!;
    expect(agenciesOf(engine, takoma).agencies).not.toContain('sheriff');
    expect(agenciesOf(engine, engine.corpus.jurisdictions.get('us/md/frederick-county')!).agencies).toContain('sheriff');
  });
});

describe('place search', () => {
  const search = (q: string, lang: 'en' | 'es' = 'en') => searchJurisdictions(q, guidePlaces(engine), engine.vocabulary.agencyIds, messages(lang));

  it('finds a town by its name, and a county office by the name people use', () => {
    expect(search('Takoma Park').hits[0]!.jurisdiction.id).toBe('us/md/montgomery-county/takoma-park');
    const libraries = search('Montgomery County Public Libraries');
    expect(libraries.hits.map((h) => h.jurisdiction.id)).toEqual(['us/md/montgomery-county']);
    expect(libraries.agency).toBe('executive');
    expect(search('rockville police department')).toMatchObject({ hits: [{ jurisdiction: { id: 'us/md/montgomery-county/rockville' } }], agency: 'police' });
    expect(search('Frederick County Detention Center')).toMatchObject({ hits: [{ jurisdiction: { id: 'us/md/frederick-county' } }], agency: 'corrections' });
  });

  it('ignores case, accents and cut-short words, and says nothing for nonsense', () => {
    expect(search('PRINCE GEORGE').hits[0]!.jurisdiction.id).toBe('us/md/prince-georges-county');
    expect(search('baltim').hits.map((h) => h.jurisdiction.id).sort()).toEqual(['us/md/baltimore-city', 'us/md/baltimore-county']);
    expect(search('Baltimore City').hits[0]!.jurisdiction.id).toBe('us/md/baltimore-city');
    expect(search('zzzz').hits).toEqual([]);
  });

  it('finds every Maryland town by its name, Bowie, Laurel, Cheverly and Mount Rainier among them', () => {
    for (const [q, id] of [['Bowie', 'prince-georges-county/bowie'], ['City of Laurel', 'prince-georges-county/laurel'], ['Town of Cheverly', 'prince-georges-county/cheverly'],
      ['Mount Rainier', 'prince-georges-county/mount-rainier'], ["Martin's Additions", 'montgomery-county/martins-additions'], ['Port Tobacco Village', 'charles-county/port-tobacco-village']]) {
      expect(search(q!).hits[0]!.jurisdiction.id, q).toBe(`us/md/${id}`);
    }
    const towns = guidePlaces(engine).filter((j) => j.id.startsWith('us/md/') && j.fips.length === 7);
    expect(towns).toHaveLength(156);
    for (const t of towns) expect(search(t.name).hits.map((h) => h.jurisdiction.id), t.name).toContain(t.id);
  });

  it('finds each county\'s school system by its official name or short form, with the school office', () => {
    const systems = guidePlaces(engine).filter((j) => j.offices?.some((o) => o.agency === 'school'));
    expect(systems).toHaveLength(24);
    for (const j of systems) {
      const o = j.offices!.find((x) => x.agency === 'school')!;
      for (const [q, lang] of [[o.name, 'en'], [o.translations!.es!.name, 'es']] as const) {
        const r = search(q, lang);
        expect([r.hits[0]!.jurisdiction.id, r.agency], q).toEqual([j.id, 'school']);
      }
    }
    expect(search('Howard County Public School System')).toMatchObject({ hits: [{ jurisdiction: { id: 'us/md/howard-county' } }], agency: 'school' });
    expect(search('MCPS')).toMatchObject({ hits: [{ jurisdiction: { id: 'us/md/montgomery-county' } }], agency: 'school' });
    expect(search('Baltimore City Public Schools').hits[0]!.jurisdiction.id).toBe('us/md/baltimore-city');
    expect(search('Baltimore County Public Schools').hits.map((h) => h.jurisdiction.id)).toEqual(['us/md/baltimore-county']);
  });

  it('finds each county by its Spanish name, in either language, accents and apostrophes optional', () => {
    for (const [q, id] of [['condado de montgomery', 'montgomery-county'], ['Condado de Prince George', 'prince-georges-county'],
      ['prince georges', 'prince-georges-county'], ['Condado de Prince George’s', 'prince-georges-county'], ['Condado de Queen Anne', 'queen-annes-county'],
      ['ciudad de baltimore', 'baltimore-city'], ['condado de baltimore', 'baltimore-county'], ['condado de st marys', 'st-marys-county']]) {
      for (const lang of ['es', 'en'] as const) expect(search(q!, lang).hits[0]?.jurisdiction.id, `${q} (${lang})`).toBe(`us/md/${id}`);
    }
    const counties = guidePlaces(engine).filter((j) => j.translations?.es?.name);
    expect(counties).toHaveLength(24);
    for (const j of counties) expect(search(j.translations!.es!.name!, 'es').hits[0]?.jurisdiction.id, j.translations!.es!.name).toBe(j.id);
    // Its Spanish name names no office: the place is found, the office still asked.
    expect(search('Condado de Montgomery', 'es').agency).toBeUndefined();
  });

  it('reads Spanish office words', () => {
    expect(search('Bibliotecas del condado de Montgomery', 'es')).toMatchObject({ hits: [{ jurisdiction: { id: 'us/md/montgomery-county' } }], agency: 'executive' });
  });
});
