// Policy tests: a case passes only when the outcome, every expected governing provision, and no forbidden one hold.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Corpus, PolicyCase, PolicyTestSuite } from '../policy/corpus.js';
import { loadCorpus } from '../policy/load.js';
import { fixtureCorpus, fixtureRoot } from './fixtures/corpus.js';
import { runPolicyTests } from './policyTests.js';

const corpus = fixtureCorpus();
const position = { file: 'inline', line: 1, column: 1 };
const hold = (basis: string, matter: string) => ({
  date: '2018-01-10', actor: { jurisdiction: 'us/md/alpha-county', agency: 'corrections' }, request: 'detain_past_release', basis, matter,
});
const kase = (name: string, scenario: Record<string, unknown>, outcome: string, governing: string[], notGoverning: string[]): PolicyCase => ({
  name, scenario, assumeInForce: [], assumeNotInForce: [], expect: { outcome, governing, notGoverning }, position,
});
const run = (...cases: PolicyCase[]) => {
  const suite: PolicyTestSuite = { instrument: 'alpha-order', file: 'inline', cases };
  const withTests: Corpus = { ...corpus, tests: [suite] };
  return runPolicyTests(withTests);
};

describe('policy tests', () => {
  it('fail when a provision expected not to govern does, even with the right outcome', () => {
    // A civil court order: prohibited, by the nested exception, not by the blanket rule it overrides twice over.
    const right = run(kase('civil order', hold('court_order', 'civil_immigration'), 'prohibited', ['alpha-order#but-not-civil-orders'], ['alpha-order#no-holds']));
    expect(right.failed).toBe(0);
    // The same outcome for the wrong reason: on a detainer the blanket rule governs.
    const wrong = run(kase('detainer', hold('ice_detainer', 'drugs'), 'prohibited', [], ['alpha-order#no-holds']));
    expect(wrong.failed).toBe(1);
    expect(wrong.results[0]!.problem).toMatch(/expected alpha-order#no-holds not to govern; governing was alpha-order#no-holds/);
  });

  it('fail when a forbidden provision governs a branch of a depends', () => {
    const unknownMatter = { ...hold('court_order', 'drugs'), matter: 'unknown' };
    const r = run(kase('order, matter unknown', unknownMatter, 'depends', [], ['alpha-order#but-not-civil-orders']));
    expect(r.failed).toBe(1);
    expect(r.results[0]!.problem).toMatch(/in its branches: .*alpha-order#but-not-civil-orders/);
    expect(run(kase('order, matter unknown', unknownMatter, 'depends', [], ['alpha-order#no-holds'])).failed).toBe(0);
  });

  describe('files', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'trustrules-policy-tests-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    cpSync(fixtureRoot, dir, { recursive: true });
    const testFile = path.join(dir, 'us/md/alpha-county/alpha-order.test.yaml');
    const write = (notGoverning: string, governing = 'but-not-civil-orders') => writeFileSync(testFile, [
      'instrument: alpha-order',
      'cases:',
      '  - name: civil order',
      '    scenario: { date: 2018-01-10, actor: { jurisdiction: us/md/alpha-county, agency: corrections }, request: detain_past_release, basis: court_order, matter: civil_immigration }',
      `    expect: { outcome: prohibited, governing: [${governing}], not_governing: [${notGoverning}] }`,
      '',
    ].join('\n'));

    it('read not_governing, with refs relative to the suite\'s instrument', () => {
      write('no-holds');
      const { corpus: loaded, diagnostics } = loadCorpus(dir, { tests: true });
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const c = loaded!.tests.find((t) => t.instrument === 'alpha-order')!.cases[0]!;
      expect(c.expect.notGoverning).toEqual(['alpha-order#no-holds']);
      expect(runPolicyTests(loaded!).failed).toBe(0);
    });

    it('report an unknown provision, and one expected both to govern and not to', () => {
      write('no-such-provision');
      expect(loadCorpus(dir, { tests: true }).diagnostics.map((d) => d.message)).toContain('not_governing "alpha-order#no-such-provision": no such provision');
      write('no-holds', 'no-holds');
      expect(loadCorpus(dir, { tests: true }).diagnostics.map((d) => d.code)).toContain('contradiction');
    });
  });
});

describe('a test actor must work for an agency its jurisdiction has', () => {
  it('flags a police officer of a county the sheriff polices, and passes the real corpus', async () => {
    const { actorAgencyDiagnostics } = await import('./check.js');
    const { loadCorpusOrThrow } = await import('../policy/load.js');
    const real = loadCorpusOrThrow(undefined, { tests: true });
    expect(actorAgencyDiagnostics(real, ['police', 'sheriff', 'corrections', 'executive', 'school'])).toEqual([]);
    const frederick = real.jurisdictions.get('us/md/frederick-county')!;
    const suite: PolicyTestSuite = {
      instrument: 'x', file: 'inline',
      cases: [
        { name: 'deputy', scenario: { actor: { jurisdiction: frederick.id, agency: 'sheriff' } }, assumeInForce: [], assumeNotInForce: [], expect: { outcome: 'no_rule', governing: [], notGoverning: [] }, position },
        { name: 'officer', scenario: { actor: { jurisdiction: frederick.id, agency: 'police' } }, assumeInForce: [], assumeNotInForce: [], expect: { outcome: 'no_rule', governing: [], notGoverning: [] }, position },
      ],
    };
    const found = actorAgencyDiagnostics({ ...real, tests: [suite] }, ['police', 'sheriff', 'corrections', 'executive', 'school']);
    expect(found.map((d) => [d.code, d.message])).toEqual([
      ['agency-not-in-jurisdiction', 'x: "officer": Frederick County has no police agency (its jurisdiction.yaml lists sheriff, corrections, executive, school)'],
    ]);
  });
});
