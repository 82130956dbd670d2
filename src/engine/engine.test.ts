// The rules of contract 3.2–3.4 on a fixture corpus built to exercise each of them.
import { describe, expect, it } from 'vitest';
import { loadCorpusOrThrow } from '../policy/load.js';
import { ScenarioError } from '../vocabulary/scenario.js';
import { Engine, UnknownInstrumentError } from './engine.js';
import { fixtureRoot } from './fixtures/fixtureRoot.js';

const corpus = loadCorpusOrThrow(fixtureRoot);
const engine = new Engine(corpus);

const alpha = (agency: string, date: string, request: string, facts: Record<string, unknown> = {}) => ({
  date, actor: { jurisdiction: 'us/md/alpha-county', agency }, request, ...facts,
});
const refs = (d: { governing: readonly { instrument: string; provision: string }[] }) => d.governing.map((g) => `${g.instrument}#${g.provision}`);

describe('applicability', () => {
  it('prohibits a hold on an ICE detainer under the county order', () => {
    const d = engine.ruling(alpha('corrections', '2018-01-10', 'detain_past_release', { basis: 'ice_detainer', matter: 'drugs' }));
    expect(d.outcome).toBe('prohibited');
    expect(refs(d)).toEqual(['alpha-order#no-holds']);
    expect(d.summary).toEqual({ code: 'instruction', provision: 'alpha-order#no-holds', unconfirmed: false });
    expect(d.governing[0]).toMatchObject({ jurisdiction: 'us/md/alpha-county', title: 'Alpha County Executive Order', quote: 'shall not cause to be detained', confidence: 'verified' });
  });

  it('does not bind an agency the provision does not name', () => {
    const d = engine.ruling(alpha('sheriff', '2018-01-10', 'detain_past_release', { basis: 'ice_detainer' }));
    expect(d.outcome).toBe('no_rule');
    expect(d.governing).toEqual([]);
    expect(d.considered.find((c) => c.provision === 'no-holds' && c.instrument === 'alpha-order')).toMatchObject({ binding: false, reason: { code: 'agency_not_bound', binds: ['police', 'corrections'], agency: 'sheriff' } });
  });

  it('applies instruments only while in force, and says why not', () => {
    const before = engine.ruling(alpha('corrections', '2017-04-04', 'detain_past_release', { basis: 'ice_detainer' }));
    expect(before.outcome).toBe('no_rule');
    expect(before.considered.find((c) => c.instrument === 'alpha-order')?.reason).toEqual({ code: 'not_in_force', status: 'not_yet_in_force', date: '2017-04-05' });
    const onDay = engine.ruling(alpha('corrections', '2017-04-05', 'detain_past_release', { basis: 'ice_detainer' }));
    expect(onDay.outcome).toBe('prohibited');
    const after = engine.ruling(alpha('corrections', '2025-01-01', 'detain_past_release', { basis: 'ice_detainer' }));
    expect(after.outcome).toBe('no_rule');
    expect(after.considered.find((c) => c.instrument === 'alpha-order')?.reason).toEqual({ code: 'not_in_force', status: 'revoked', date: '2025-01-01' });
  });

  it('lists vetoed bills as considered, not binding', () => {
    const d = engine.ruling(alpha('sheriff', '2018-01-10', 'detain_past_release', { basis: 'ice_detainer' }));
    expect(d.considered.find((c) => c.instrument === 'state-bill')).toMatchObject({ binding: false, role: 'not_binding', reason: { code: 'not_in_force', status: 'vetoed', date: '2017-02-09' } });
  });

  it('honours a provision that starts later than its instrument', () => {
    const q = (date: string) => engine.ruling(alpha('executive', date, 'grant_facility_access', { basis: 'none', place: 'library' })).outcome;
    expect(q('2018-12-31')).toBe('no_rule');
    expect(q('2019-01-01')).toBe('prohibited');
  });

  it('binds a city actor by state law and city ordinance but not by the county executive order', () => {
    const city = (facts: Record<string, unknown>, agency = 'police') =>
      engine.ruling({ date: '2018-01-10', actor: { jurisdiction: 'us/md/alpha-county/beta-city', agency }, request: 'inquire_status', ...facts });
    expect(city({ purpose: 'other' }).outcome).toBe('prohibited');
    const held = engine.ruling({ date: '2018-01-10', actor: { jurisdiction: 'us/md/alpha-county/beta-city', agency: 'corrections' }, request: 'detain_past_release', basis: 'ice_detainer' });
    expect(held.outcome).toBe('no_rule');
    expect(held.considered.find((c) => c.instrument === 'alpha-order')?.reason).toEqual({ code: 'own_government_only', kind: 'executive_order', jurisdiction: 'us/md/alpha-county' });
    // A county actor is not bound by the city's ordinance.
    const county = engine.ruling(alpha('police', '2018-01-10', 'inquire_status', { purpose: 'other', setting: 'investigation' }));
    expect(county.outcome).toBe('no_rule');
    expect(county.considered.some((c) => c.instrument === 'beta-ordinance')).toBe(false);
  });
});

describe('exceptions, voiding and rank', () => {
  it('lets an exception defeat its base, and a nested exception defeat the exception', () => {
    const hold = (basis: string, matter: string) => engine.ruling(alpha('corrections', '2018-01-10', 'detain_past_release', { basis, matter }));
    expect(hold('judicial_warrant', 'drugs').outcome).toBe('permitted');
    expect(refs(hold('judicial_warrant', 'drugs'))).toEqual(['alpha-order#hold-with-judge']);
    expect(hold('court_order', 'drugs').outcome).toBe('permitted');
    const civil = hold('court_order', 'civil_immigration');
    expect(civil.outcome).toBe('prohibited');
    expect(refs(civil)).toEqual(['alpha-order#but-not-civil-orders']);
    expect(civil.considered.find((c) => c.provision === 'hold-with-judge')).toMatchObject({ role: 'defeated', reason: { code: 'defeated_by', by: 'alpha-order#but-not-civil-orders' } });
    expect(civil.considered.find((c) => c.provision === 'no-holds' && c.instrument === 'alpha-order')).toMatchObject({ role: 'defeated' });
  });

  it('lets federal law void a local prohibition on sharing status information', () => {
    const d = engine.ruling(alpha('police', '2018-01-10', 'share_status_info'));
    expect(d.outcome).toBe('permitted');
    expect(refs(d)).toEqual(['fed-sharing#sharing-allowed']);
    expect(d.considered.find((c) => c.provision === 'no-sharing')).toMatchObject({ role: 'voided', binding: true });
  });

  it('ranks an executive order above an agreement of the same government', () => {
    const d = engine.ruling(alpha('corrections', '2019-01-10', 'notify_release', { basis: 'ice_detainer', matter: 'drugs', serious_offense: false }));
    expect(d.outcome).toBe('prohibited');
    expect(refs(d)).toEqual(['alpha-order#no-notice']);
    expect(d.considered.find((c) => c.provision === 'must-notify')).toMatchObject({ role: 'outranked', reason: { code: 'outranked_by', by: 'alpha-order#no-notice' } });
  });

  it('ranks state law above county law', () => {
    const d = engine.ruling(alpha('corrections', '2023-01-10', 'notify_release', { basis: 'none', matter: 'drugs', serious_offense: true }));
    expect(d.outcome).toBe('required');
    expect(refs(d)).toEqual(['state-law#state-requires-notice']);
  });

  it('reports a conflict between equal-rank rules and names both', () => {
    const d = engine.ruling(alpha('corrections', '2021-01-10', 'notify_release', { basis: 'none', matter: 'gang', serious_offense: false }));
    expect(d.outcome).toBe('conflict');
    expect(refs(d).sort()).toEqual(['alpha-order#no-notice', 'alpha-order-2#must-notify-gangs']);
    expect(d.summary).toMatchObject({ code: 'conflict' });
  });
});

describe('unknown facts', () => {
  it('gives the shared outcome when every filling agrees', () => {
    const d = engine.ruling(alpha('corrections', '2018-01-10', 'detain_past_release', { basis: 'ice_detainer' }));
    expect(d.outcome).toBe('prohibited');
    expect(d.depends_on).toBeNull();
  });

  it('gives depends with exact branches when fillings disagree', () => {
    const d = engine.ruling(alpha('corrections', '2018-01-10', 'detain_past_release', { basis: 'court_order', matter: 'unknown' }));
    expect(d.outcome).toBe('depends');
    expect(d.governing).toEqual([]);
    expect(d.depends_on).toEqual([
      { outcome: 'prohibited', when: [{ matter: ['civil_immigration'] }], governing: ['alpha-order#but-not-civil-orders'] },
      {
        outcome: 'permitted',
        when: [{ matter: ['criminal_immigration', 'drugs', 'money_laundering', 'human_trafficking', 'terrorism', 'gang', 'violent_crime', 'other_crime'] }],
        governing: ['alpha-order#hold-with-judge'],
      },
    ]);
    expect(d.summary).toEqual({ code: 'depends' });
  });
});

describe('would_change', () => {
  it('lists every single-fact change that flips the outcome, grouped by outcome', () => {
    const d = engine.ruling(alpha('corrections', '2018-01-10', 'detain_past_release', { basis: 'ice_detainer', matter: 'drugs' }));
    expect(d.would_change).toEqual([
      { fact: 'basis', values: ['judicial_warrant', 'court_order'], outcome: 'permitted' },
      { fact: 'actor.agency', values: ['sheriff'], outcome: 'no_rule' },
    ]);
    // Another department or a school holds nobody: never offered for a hold.
  });
});

describe('shared decision parts', () => {
  it('gives each actor the other agencies\' outcomes on its own facts, though its cell reads none of them', () => {
    // No provision binds police on release notices, so police decisions read no facts of their own and share one part.
    const memoised = new Engine(corpus);
    const police = (serious: boolean) =>
      memoised.ruling(alpha('police', '2023-01-10', 'notify_release', { basis: 'none', matter: 'drugs', serious_offense: serious }));
    const corrections = (d: ReturnType<typeof police>) => d.would_change.filter((w) => w.fact === 'actor.agency' && w.values.includes('corrections'));
    expect(corrections(police(false))).toEqual([{ fact: 'actor.agency', values: ['corrections'], outcome: 'prohibited' }]);
    expect(corrections(police(true))).toEqual([{ fact: 'actor.agency', values: ['corrections'], outcome: 'required' }]);
  });
});

describe('releasing a jurisdiction', () => {
  it('forgets its compiled cells and compiles them again to the same decisions', () => {
    const fresh = new Engine(corpus);
    const s = alpha('corrections', '2023-01-10', 'notify_release', { basis: 'none', matter: 'drugs', serious_offense: true });
    const before = fresh.ruling(s);
    const reader = fresh.outcomeOfTrusted(s as never);
    fresh.releaseJurisdiction('us/md/alpha-county');
    const after = fresh.ruling(s);
    expect(after).toEqual(before);
    expect(after.considered).not.toBe(before.considered);
    expect(fresh.outcomeOfTrusted(s as never)).toBe(reader);
    expect(fresh.canGovern('alpha-order#no-holds')).toBe(engine.canGovern('alpha-order#no-holds'));
  });
});

describe('what-if', () => {
  it('treats an assumed instrument as in force and binding, and changes the policy version', () => {
    const whatIf = new Engine(corpus, { assumeInForce: ['state-bill'] });
    const s = alpha('sheriff', '2018-01-10', 'detain_past_release', { basis: 'ice_detainer' });
    expect(engine.ruling(s).outcome).toBe('no_rule');
    const d = whatIf.ruling(s);
    expect(d.outcome).toBe('prohibited');
    expect(refs(d)).toEqual(['state-bill#no-holds']);
    expect(d.assumptions).toEqual({ in_force: ['state-bill'], not_in_force: [] });
    expect(d.policy_version).not.toBe(engine.ruling(s).policy_version);
  });

  it('treats an instrument assumed not in force as absent', () => {
    const whatIf = new Engine(corpus, { assumeNotInForce: ['alpha-order'] });
    const d = whatIf.ruling(alpha('corrections', '2018-01-10', 'detain_past_release', { basis: 'ice_detainer' }));
    expect(d.outcome).toBe('no_rule');
    expect(d.considered.find((c) => c.instrument === 'alpha-order')?.reason).toEqual({ code: 'assumed_not_in_force' });
  });

  it('rejects an unknown instrument', () => {
    expect(() => new Engine(corpus, { assumeInForce: ['no-such-bill'] })).toThrow(UnknownInstrumentError);
  });
});

describe('outcomes from trusted JSON (generated readers)', () => {
  it('answers like the compiled cells, and refuses a scenario that was not valid after all', () => {
    const s = alpha('corrections', '2018-01-10', 'detain_past_release', { basis: 'ice_detainer' });
    expect(engine.outcomeOfTrusted(s)).toBe('prohibited');
    expect(engine.outcomeOfTrusted({ ...s, basis: 'judicial_warrant' })).toBe('permitted');
    expect(engine.outcomeOfTrusted({ ...s, basis: 'unknown', serious_offense: true })).toBe('depends');
    expect(() => engine.outcomeOfTrusted({ ...s, actor: { jurisdiction: 'us/md/nowhere', agency: 'police' } })).toThrow(/jurisdiction us\/md\/nowhere/);
    expect(() => engine.outcomeOfTrusted({ ...s, request: 'fly' })).toThrow(/request fly/);
  });
});

describe('bad scenarios', () => {
  const base = alpha('police', '2018-01-10', 'inquire_status');
  const errorOf = (input: unknown) => {
    try {
      engine.ruling(input);
    } catch (e) {
      if (e instanceof ScenarioError) return e.error;
      throw e;
    }
    throw new Error('no error');
  };
  it('names the field, what was given and what is allowed', () => {
    expect(errorOf({ ...base, basis: 'warrant' })).toMatchObject({ path: 'basis', given: 'warrant', allowed: expect.arrayContaining(['judicial_warrant', 'unknown']) });
    expect(errorOf({ ...base, actor: { jurisdiction: 'us/md/nowhere', agency: 'police' } })).toMatchObject({ path: 'actor.jurisdiction', given: 'us/md/nowhere' });
    expect(errorOf({ ...base, actor: { jurisdiction: 'us/md/alpha-county', agency: 'fbi' } })).toMatchObject({ path: 'actor.agency', allowed: ['police', 'sheriff', 'corrections', 'executive', 'school'] });
    expect(errorOf({ ...base, date: '2019-02-30' })).toMatchObject({ path: 'date', given: '2019-02-30' });
    expect(errorOf({ ...base, colour: 'red' })).toMatchObject({ path: 'colour', given: 'colour', allowed: expect.arrayContaining(['basis', 'place']) });
    expect(errorOf({ date: '2018-01-10', actor: base.actor })).toMatchObject({ path: 'request', given: null, message: 'required field is missing' });
    expect(errorOf({ ...base, serious_offense: 'yes' })).toMatchObject({ path: 'serious_offense', allowed: [true, false, 'unknown'] });
    expect(errorOf([1, 2])).toMatchObject({ path: '(scenario)' });
  });
});
