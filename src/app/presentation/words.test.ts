// Decisions worded from typed reasons: the English reads as it always has, Spanish agrees with the instrument, and
// every reason code, status and instrument kind has words in every language.
import { describe, expect, it } from 'vitest';
import type { Reason } from '../../engine/decision.js';
import { reasonCodes } from '../../engine/decision.js';
import { Engine } from '../../engine/engine.js';
import { fixtureRoot } from '../../engine/fixtures/fixtureRoot.js';
import { loadCorpusOrThrow } from '../../policy/load.js';
import { instrumentKinds } from '../../policy/schema.js';
import { decide, wordsFor } from './decisions.js';
import { jurisdictionNameIn } from './words.js';
import { languages, messages } from './messages.js';

const corpus = loadCorpusOrThrow(fixtureRoot);
const engine = new Engine(corpus);
const alpha = (agency: string, date: string, request: string, facts: Record<string, unknown> = {}) => ({
  date, actor: { jurisdiction: 'us/md/alpha-county', agency }, request, ...facts,
});
const why = (d: ReturnType<typeof decide>, instrument: string, provision?: string) =>
  d.considered.find((c) => c.instrument === instrument && (provision === undefined || c.provision === provision))?.why;

describe('English decisions', () => {
  it('word summaries as before', () => {
    expect(decide(engine, alpha('corrections', '2018-01-10', 'detain_past_release', { basis: 'ice_detainer', matter: 'drugs' })).summary).toBe('Do not hold anyone past release.');
    expect(decide(engine, alpha('corrections', '2018-01-10', 'detain_past_release', { basis: 'court_order', matter: 'unknown' })).summary).toBe(
      'It depends on facts not given: prohibited when the matter is civil immigration; permitted when the matter is criminal immigration, drugs, money laundering, human trafficking, terrorism, gang crime, violent crime or another crime.',
    );
    const conflict = decide(engine, alpha('corrections', '2021-01-10', 'notify_release', { basis: 'none', matter: 'gang', serious_offense: false }));
    expect(conflict.summary).toMatch(/^Rules of equal rank disagree: .* \(prohibits\) and .* \(requires\)\. Do not act on either alone: escalate to counsel\.$/);
    expect(decide(engine, alpha('sheriff', '2018-01-10', 'detain_past_release', { basis: 'ice_detainer' })).summary).toBe(
      "No binding rule in force addresses this; general law and your agency's discretion apply.",
    );
  });

  it('word every kind of reason', () => {
    expect(why(decide(engine, alpha('sheriff', '2018-01-10', 'detain_past_release', { basis: 'ice_detainer' })), 'alpha-order', 'no-holds')).toBe('binds police and corrections; not sheriff');
    expect(why(decide(engine, alpha('corrections', '2017-04-04', 'detain_past_release', { basis: 'ice_detainer' })), 'alpha-order')).toBe('not yet in force (in force from 2017-04-05)');
    expect(why(decide(engine, alpha('corrections', '2025-01-01', 'detain_past_release', { basis: 'ice_detainer' })), 'alpha-order')).toBe('revoked 2025-01-01');
    expect(why(decide(engine, alpha('sheriff', '2018-01-10', 'detain_past_release', { basis: 'ice_detainer' })), 'state-bill')).toBe('vetoed 2017-02-09');
    const city = decide(engine, { date: '2018-01-10', actor: { jurisdiction: 'us/md/alpha-county/beta-city', agency: 'corrections' }, request: 'detain_past_release', basis: 'ice_detainer' });
    expect(why(city, 'alpha-order')).toBe("an executive order of Alpha County binds only its own government's employees");
    const civil = decide(engine, alpha('corrections', '2018-01-10', 'detain_past_release', { basis: 'court_order', matter: 'civil_immigration' }));
    expect(why(civil, 'alpha-order', 'hold-with-judge')).toBe('defeated by its exception alpha-order#but-not-civil-orders');
    expect(why(decide(engine, alpha('corrections', '2019-01-10', 'notify_release', { basis: 'ice_detainer', matter: 'drugs', serious_offense: false })), 'alpha-mou', 'must-notify')).toBe('outranked by alpha-order#no-notice');
    expect(why(decide(engine, alpha('police', '2018-01-10', 'share_status_info')), 'alpha-order', 'no-sharing')).toMatch(/^voided by higher law fed-sharing#/);
    const judge = decide(engine, alpha('corrections', '2018-01-10', 'detain_past_release', { basis: 'ice_detainer', matter: 'drugs' }));
    expect(why(judge, 'alpha-order', 'hold-with-judge')).toBe('conditions not met: the basis is an ICE detainer (applies to a judicial warrant or a court order)');
    const whatIf = new Engine(corpus, { assumeNotInForce: ['alpha-order'] });
    expect(why(decide(whatIf, alpha('corrections', '2018-01-10', 'detain_past_release', { basis: 'ice_detainer' })), 'alpha-order')).toBe('assumed not in force (what-if)');
  });

  it('carry the typed reason beside its words', () => {
    const d = decide(engine, alpha('sheriff', '2018-01-10', 'detain_past_release', { basis: 'ice_detainer' }));
    expect(d.considered.find((c) => c.instrument === 'state-bill')).toMatchObject({ why: 'vetoed 2017-02-09', reason: { code: 'not_in_force', status: 'vetoed', date: '2017-02-09' } });
  });
});

describe('Spanish decisions', () => {
  it('word outcomes, summaries and reasons in Spanish, agreeing with the kind of instrument', () => {
    const es = (s: unknown) => decide(engine, s, 'es');
    expect(es(alpha('sheriff', '2018-01-10', 'detain_past_release', { basis: 'ice_detainer' })).summary).toBe(
      'Ninguna norma vinculante vigente trata este caso; se aplican la ley general y el criterio de su organismo.',
    );
    // The vetoed state bill is "un proyecto de ley": masculine.
    expect(why(es(alpha('sheriff', '2018-01-10', 'detain_past_release', { basis: 'ice_detainer' })), 'state-bill')).toBe('vetado el 9 de febrero de 2017');
    // The revoked executive order is "una orden ejecutiva": feminine.
    expect(why(es(alpha('corrections', '2025-01-01', 'detain_past_release', { basis: 'ice_detainer' })), 'alpha-order')).toBe('revocada el 1 de enero de 2025');
    expect(why(es(alpha('sheriff', '2018-01-10', 'detain_past_release', { basis: 'ice_detainer' })), 'alpha-order', 'no-holds')).toBe(
      'obliga a la policía y los servicios correccionales; no a la oficina del sheriff',
    );
    expect(es(alpha('corrections', '2018-01-10', 'detain_past_release', { basis: 'court_order', matter: 'unknown' })).summary).toMatch(
      /^Depende de datos que no se indicaron: prohibido si el asunto es inmigración civil; permitido si el asunto es un delito de inmigración, .* u otro delito\.$/,
    );
  });

  it('changes only the words: outcome, governing ids, reasons and would_change are the same in both languages', () => {
    const s = alpha('corrections', '2018-01-10', 'detain_past_release', { basis: 'ice_detainer', matter: 'unknown' });
    const [en, es] = [decide(engine, s, 'en'), decide(engine, s, 'es')];
    const strip = (d: typeof en) => ({ ...d, summary: '', governing: d.governing.map((g) => ({ ...g, instruction: '' })), considered: d.considered.map((c) => ({ ...c, why: '' })) });
    expect(strip(es)).toEqual(strip(en));
    expect(es.considered.map((c) => c.why)).not.toEqual(en.considered.map((c) => c.why));
  });
});

describe('catalog coverage', () => {
  const samples: Reason[] = [
    { code: 'governs' }, { code: 'conditions_not_met', unmet: [{ fact: 'basis', given: 'none', applies_to: ['judicial_warrant'] }] },
    { code: 'defeated_by', by: 'a#b' }, { code: 'voided_by', by: 'a#b' }, { code: 'outranked_by', by: 'a#b' }, { code: 'subordinate_to', by: 'a#b' },
    { code: 'depends_on_unknown', facts: ['basis', 'matter'] }, { code: 'advisory' }, { code: 'assumed_not_in_force' },
    { code: 'provision_not_yet', from: '2020-01-01' }, { code: 'provision_ended', until: '2020-01-01' },
    { code: 'own_government_only', kind: 'executive_order', jurisdiction: 'us/md/alpha-county' },
    { code: 'agency_not_bound', binds: ['police'], agency: 'school' },
    { code: 'jail_run_by_other', kind: 'executive_order', jurisdiction: 'us/md/alpha-county', operator: 'us/md' },
    { code: 'governments_below_only', kind: 'statute', jurisdiction: 'us/md' }, { code: 'persuasive_only' },
    ...(['not_yet_in_force', 'proposed', 'passed', 'failed', 'withdrawn', 'vetoed', 'suspended', 'enjoined', 'repealed', 'revoked', 'expired', 'superseded'] as const)
      .map((status): Reason => ({ code: 'not_in_force', status, date: '2020-01-01' })),
    { code: 'not_in_force', status: 'proposed' },
  ];

  it('has samples of every reason code', () => {
    expect([...new Set(samples.map((r) => r.code))].sort()).toEqual([...reasonCodes].sort());
  });

  for (const lang of languages) {
    it(`words every reason code, status and instrument kind in ${lang}`, () => {
      const words = wordsFor(corpus, lang);
      for (const r of samples) expect(words.why(r, 'alpha-order').length, JSON.stringify(r)).toBeGreaterThan(3);
      for (const code of reasonCodes) {
        if (code !== 'not_in_force') expect(messages(lang).has(`decision.why.${code}`), code).toBe(true);
      }
      for (const kind of instrumentKinds) {
        expect(messages(lang).has(`decision.kind.${kind}.a`), kind).toBe(true);
        expect(messages(lang).has(`decision.kind.${kind}.this`), kind).toBe(true);
        expect(['feminine', 'masculine', 'none']).toContain(messages(lang).format(`decision.kind.${kind}.gender`));
      }
    });
  }
});

describe('jurisdiction names in each language', () => {
  const maryland = loadCorpusOrThrow();
  const montgomery = new Engine(maryland);
  const rockville = { date: '2021-06-01', actor: { jurisdiction: 'us/md/montgomery-county/rockville', agency: 'corrections' }, request: 'grant_custody_access' };
  const ownGovernment = (lang: 'en' | 'es') =>
    decide(montgomery, rockville, lang).considered.filter((c) => c.reason.code === 'own_government_only' && c.jurisdiction === 'us/md/montgomery-county').map((c) => c.why);

  it('names a jurisdiction in Spanish where its file says so, and by its own name elsewhere', () => {
    expect(jurisdictionNameIn(maryland, 'us/md/montgomery-county', 'es')).toBe('Condado de Montgomery');
    expect(jurisdictionNameIn(maryland, 'us/md/montgomery-county', 'en')).toBe('Montgomery County');
    expect(jurisdictionNameIn(maryland, 'us/md/baltimore-city', 'es')).toBe('Ciudad de Baltimore');
    expect(jurisdictionNameIn(maryland, 'us', 'es')).toBe('Estados Unidos');
    expect(jurisdictionNameIn(maryland, 'us/md', 'es')).toBe('Maryland');
    expect(jurisdictionNameIn(maryland, 'us/md/montgomery-county/rockville', 'es')).toBe('Rockville');
    expect(jurisdictionNameIn(maryland, 'us/md/nowhere', 'es')).toBe('us/md/nowhere');
  });

  it('reads "of" the Spanish way: del Condado (the kind\'s form), de la Ciudad de Baltimore (the file\'s own form)', () => {
    expect(ownGovernment('es').length).toBeGreaterThan(0);
    for (const text of ownGovernment('es')) expect(text).toMatch(/ del Condado de Montgomery solo obliga al personal de ese mismo gobierno$/);
    for (const text of ownGovernment('en')) expect(text).toMatch(/ of Montgomery County binds only its own government's employees$/);
    const es = wordsFor(maryland, 'es');
    expect(es.why({ code: 'own_government_only', kind: 'executive_order', jurisdiction: 'us/md/baltimore-city' }, 'x'))
      .toBe('una orden ejecutiva de la Ciudad de Baltimore solo obliga al personal de ese mismo gobierno');
    expect(es.why({ code: 'governments_below_only', kind: 'statute', jurisdiction: 'us/md' }, 'x'))
      .toBe('esta ley solo obliga a los gobiernos locales de Maryland (sus instalaciones locales), no a su propio personal');
    expect(wordsFor(maryland, 'en').why({ code: 'jail_run_by_other', kind: 'executive_order', jurisdiction: 'us/md/baltimore-city', operator: 'us/md' }, 'x'))
      .toBe('an executive order of Baltimore City does not bind the jail, which is the responsibility of Maryland');
  });
});
