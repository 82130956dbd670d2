// The diff: with itself it is empty, and its rows are exactly the scenarios whose outcomes differ (property tests).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine.js';
import { EnginePool } from './policyTests.js';
import { fixtureCorpus, propertySeed, realCorpus } from './fixtures/corpus.js';
import { gens } from './fixtures/gens.js';
import { diffJson, diffRows, DiffSummarizer, rowScenario } from './diff.js';
import { diffRequest } from './params.js';
import type { Side } from './space.js';

const corpus = fixtureCorpus();
const engine = new Engine(corpus);
const side = (e: Engine, jurisdiction: string, date: string): Side => ({ engine: e, jurisdiction, date, name: {} });

/** Every concrete scenario of the request differs exactly when some row matches it; rows agree with decide. */
function checkDiff(A: Side, B: Side, agency: string, request: string, facts: Int8Array) {
  const rows = [...diffRows(A, B, { agencies: [agency], requests: [request] })];
  // Only actors both sides have are compared.
  if (!A.engine.offers(A.jurisdiction, agency, request) || !B.engine.offers(B.jurisdiction, agency, request)) {
    expect(rows).toEqual([]);
    return;
  }
  for (const r of rows) {
    expect(A.engine.ruling(A.engine.codec.toJson(rowScenario(A, r))).outcome).toBe(r.a);
    expect(B.engine.ruling(B.engine.codec.toJson(rowScenario(B, r))).outcome).toBe(r.b);
    expect(r.a).not.toBe(r.b);
  }
  const vocab = A.engine.vocabulary;
  const relevant = vocab.factsFor(request).map((f) => f.index);
  const concrete = new Int8Array(facts.length).fill(-1);
  for (const f of relevant) concrete[f] = facts[f]!;
  const json = (s: Side) => ({ date: s.date, actor: { jurisdiction: s.jurisdiction, agency }, request, ...factsJson(A.engine, concrete) });
  const a = A.engine.ruling(json(A)).outcome;
  const b = B.engine.ruling(json(B)).outcome;
  const matching = rows.filter((r) => r.read.every((f) => r.facts[f] === concrete[f]));
  expect(matching.length).toBe(a !== b ? 1 : 0);
  if (a !== b) expect([matching[0]!.a, matching[0]!.b]).toEqual([a, b]);
}

function factsJson(e: Engine, facts: Int8Array) {
  const { date: _d, actor: _a, request: _r, ...rest } = e.codec.toJson({ date: '', jurisdiction: '', agency: '', request: '', facts });
  return rest;
}

describe('diff', () => {
  it('of a jurisdiction with itself is empty (property)', () => {
    const g = gens(engine);
    fc.assert(fc.property(g.jurisdiction, g.date, (j, d) => {
      expect([...diffRows(side(engine, j, d), side(engine, j, d))]).toEqual([]);
    }), { numRuns: 40, seed: propertySeed });
  });

  it('has exactly the scenarios whose outcomes differ: two jurisdictions, two dates, two engines (property)', () => {
    const g = gens(engine);
    const whatIf = new Engine(corpus, { assumeInForce: ['state-bill'], assumeNotInForce: ['alpha-order'] });
    fc.assert(fc.property(g.jurisdiction, g.jurisdiction, g.date, g.date, g.agency, g.request, g.facts, fc.boolean(), (j1, j2, d1, d2, a, r, f, what) => {
      checkDiff(side(engine, j1, d1), side(what ? whatIf : engine, j2, d2), a, r, f);
    }), { numRuns: 300, seed: propertySeed });
  });

  it('has exactly the scenarios whose outcomes differ on the real corpus (property)', () => {
    const real = realCorpus();
    const e = new Engine(real);
    const g = gens(e);
    fc.assert(fc.property(g.jurisdiction, g.jurisdiction, g.date, g.date, g.agency, g.request, g.facts, (j1, j2, d1, d2, a, r, f) => {
      checkDiff(side(e, j1, d1), side(e, j2, d2), a, r, f);
    }), { numRuns: 100, seed: propertySeed });
    fc.assert(fc.property(g.jurisdiction, g.date, (j, d) => {
      expect([...diffRows(side(e, j, d), side(e, j, d))]).toEqual([]);
    }), { numRuns: 20, seed: propertySeed });
  });

  it('summarises the differences as typed groups, each condition naming exactly the scenarios it covers', () => {
    const A = side(engine, 'us/md/alpha-county', '2018-01-10');
    const B = side(engine, 'us/md/gamma-county', '2020-01-01');
    const s = new DiffSummarizer();
    for (const r of diffRows(A, B)) s.add(r);
    const groups = s.groups(engine.vocabulary);
    expect(groups.reduce((m, g) => m + g.scenarios * g.agencies.length, 0)).toBe(s.total);
    expect(groups).toContainEqual({ request: 'inquire_status', agencies: ['police', 'sheriff'], a: 'no_rule', b: 'prohibited', when: { subject: ['victim', 'witness'] }, scenarios: 2 * 6 * 9 * 6 * 6 * 2 }); // 6 purposes (status_protection), × covered_conviction (SB 791)
    // Every scenario a group's condition names differs exactly as the group says.
    for (const g of groups) {
      for (const agency of g.agencies) {
        const scenario = { actor: { agency }, request: g.request, ...Object.fromEntries(Object.entries(g.when).map(([f, v]) => [f, v[v.length - 1]])) };
        const at = (x: Side) => x.engine.ruling({ ...scenario, date: x.date, actor: { ...scenario.actor, jurisdiction: x.jurisdiction } }).outcome;
        expect([at(A), at(B)]).toEqual([g.a, g.b]);
      }
    }
    const json = JSON.parse([...diffJson(A, B, diffRows(A, B, { requests: ['inquire_status'] }))].join(''));
    expect(json.differences[0]).toMatchObject({ a: 'no_rule', b: 'prohibited', a_governing: [], b_governing: ['gamma-ordinance#no-victim-inquiry'] });
    expect(json.summary[0].when).toEqual({ subject: ['victim', 'witness'] });
    expect(json.total).toBe(json.differences.reduce((n: number, d: { count: number }) => n + d.count, 0));
  });

  it('compares the law with a what-if, and checks its parameters', () => {
    const pool = new EnginePool(corpus);
    const d = diffRequest(corpus, pool, { a: 'us/md/alpha-county', at: '2018-01-10', assumeInForce: ['state-bill'] });
    expect(d.A.engine.assumptions).toBeUndefined();
    expect(d.B.engine.assumptions?.in_force).toEqual(['state-bill']);
    const rows = [...diffRows(d.A, d.B)];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.request === 'detain_past_release' && r.b === 'prohibited')).toBe(true);
    expect(() => diffRequest(corpus, pool, { a: 'us/md/alpha-county', at: '2018-01-10' })).toThrow(/second jurisdiction/);
    expect(() => diffRequest(corpus, pool, { a: 'us/md/nowhere', at: '2018-01-10', b: 'us/md' })).toThrow(/unknown jurisdiction/);
    expect(() => diffRequest(corpus, pool, { a: 'us/md', b: 'us', at: '2018-02-30' })).toThrow(/date/);
  });
});

describe('the real-corpus tests', () => {
  it('cannot pass without a corpus: a policy folder that does not load throws, naming why', () => {
    const saved = process.env.TRUSTRULES_POLICIES;
    process.env.TRUSTRULES_POLICIES = '/nonexistent/trustrules-policies';
    try {
      expect(() => realCorpus()).toThrow(/cannot read policy folder/);
    } finally {
      if (saved === undefined) delete process.env.TRUSTRULES_POLICIES;
      else process.env.TRUSTRULES_POLICIES = saved;
    }
  });
});
