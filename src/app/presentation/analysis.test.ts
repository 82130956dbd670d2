// The analyses' words: every sentence names the scenarios it covers in positive terms, and says of them what decide says.
import { describe, expect, it } from 'vitest';
import { coverage } from '../../analysis/coverage.js';
import { diffRows, DiffSummarizer, type DiffGroup } from '../../analysis/diff.js';
import { fixtureCorpus, realCorpus } from '../../analysis/fixtures/corpus.js';
import { diffRequest, gapsRequest, side } from '../../analysis/params.js';
import { EnginePool } from '../../analysis/policyTests.js';
import type { Side } from '../../analysis/space.js';
import { tableRows, tableSummary } from '../../analysis/table.js';
import { timeline } from '../../analysis/timeline.js';
import { Engine } from '../../engine/engine.js';
import type { Corpus } from '../../policy/corpus.js';
import type { AnalysisWords } from './analysis.js';
import { languages, messages, type Lang } from './messages.js';
import { analysisWordsFor } from './analysisLanguage.js';

const wordsFor = (lang: Lang, corpus: Corpus, _engine?: Engine): AnalysisWords => analysisWordsFor(lang, corpus);

const summarize = (A: Side, B: Side) => {
  const s = new DiffSummarizer();
  for (const r of diffRows(A, B)) s.add(r);
  return s;
};

/** What decide says on each side for one scenario inside a group's condition (the last value of each fact named). */
const sides = (A: Side, B: Side, g: DiffGroup, agency: string) => {
  const facts = Object.fromEntries(Object.entries(g.when).map(([f, v]) => [f, v[v.length - 1]]));
  const at = (x: Side) => x.engine.ruling({ ...facts, date: x.date, actor: { jurisdiction: x.jurisdiction, agency }, request: g.request }).outcome;
  return [at(A), at(B)];
};

describe('analysis words', () => {
  it('never frame a condition by its exceptions, in any language', () => {
    for (const lang of languages) {
      const c = messages(lang);
      for (const id of c.ids().filter((i) => i.startsWith('analysis.'))) {
        const probe = Object.fromEntries(c.params(id).map((p) => [p, 1]));
        expect({ id, text: c.format(id, probe) }).not.toMatchObject({ text: expect.stringMatching(/\b(unless|except|a menos que|salvo|excepto)\b/i) });
      }
    }
  });

  describe('the diff the issue found misreadable (Frederick County, 2025-06-01 against 2026-11-15)', () => {
    const corpus = realCorpus();
    const pool = new EnginePool(corpus);
    const d = diffRequest(corpus, pool, { a: 'us/md/frederick-county', at: '2025-06-01', vsDate: '2026-11-15' });
    const summary = summarize(d.A, d.B);
    const groups = summary.groups(d.A.engine.vocabulary).filter((g) => g.request === 'share_personal_info');
    const words = wordsFor('en', corpus, d.A.engine);

    it('names only the purposes where the sides differ, and decide agrees with every sentence', () => {
      const prohibits = groups.find((g) => g.a === 'no_rule' && g.b === 'prohibited')!;
      expect(prohibits.when.purpose).toEqual(['criminal_investigation', 'consular_notification', 'status_protection', 'required_by_law', 'other']);
      expect(words.group(d.A, d.B, prohibits)).toBe(
        // CP § 5-104(b)(2)(v) (2026) yields only to a court order (a judge's warrant is one): a criminal investigation does
        // not lift it. Frederick is policed by its sheriff: no police to speak of.
        'For sheriff, when the basis is nothing, an ICE detainer, an ICE administrative warrant or exigent circumstances, ' +
          'and the purpose is a criminal investigation, consular notification, a protection that depends on status, a legal requirement or another reason: Frederick County on 2025-06-01 has no rule on it ' +
          '(discretion applies); Frederick County on 2026-11-15 prohibits it.',
      );
      // Sharing database information for immigration enforcement is prohibited on both dates (PS § 3-529, then also CP
      // § 5-104(b)(2)(v)), so only information from outside a database can make a sentence speak of it.
      const enforcement = (date: string) => d.A.engine.ruling({
        date, actor: { jurisdiction: 'us/md/frederick-county', agency: 'sheriff' }, request: 'share_personal_info', basis: 'none', purpose: 'immigration_enforcement',
        law_enforcement_database: true,
      }).outcome;
      expect([enforcement('2025-06-01'), enforcement('2026-11-15')]).toEqual(['prohibited', 'prohibited']);
      for (const g of groups) {
        // A judge's warrant lifts both the State's database rule (2025) and CP § 5-104(b)(2)(v) (2026): no group of its own.
        expect(g.when.basis).not.toEqual(['judicial_warrant']);
        // Outside a database nothing reached it in 2025; in 2026 (b)(2)(v) bars it unless a court order requires it.
        if (g.when.law_enforcement_database?.join() === 'false') expect(g.a).toBe('no_rule');
        else expect(words.group(d.A, d.B, g)).not.toMatch(/immigration enforcement/);
        for (const agency of g.agencies) expect(sides(d.A, d.B, g, agency)).toEqual([g.a, g.b]);
      }
    });

    it('says the totals with real plurals', () => {
      const text = words.diffText(d.A, d.B, summary);
      expect(text.split('\n')[0]).toBe(
        `Frederick County on 2025-06-01 (us/md/frederick-county, 2025-06-01) against Frederick County on 2026-11-15 (us/md/frederick-county, 2026-11-15): ${summary.total.toLocaleString('en-US')} concrete scenarios differ (${summary.rows} rows).`,
      );
      expect(text).toContain('\nShare personal information (share_personal_info)\n');
      const c = messages('en');
      expect(c.format('analysis.diff.total', { header: 'H', scenarios: 1, rows: 1 })).toBe('H: 1 concrete scenario differs (1 row).');
      expect(c.format('analysis.diff.scenarios', { scenarios: 1, agencies: 1 })).toBe('[1 scenario]');
      expect(c.format('analysis.diff.scenarios', { scenarios: 2592, agencies: 2 })).toBe('[2,592 scenarios for each]');
      expect(messages('es').format('analysis.diff.total', { header: 'H', scenarios: 1, rows: 2 })).toBe('H: difiere 1 caso concreto (2 filas).');
      expect(messages('es').format('analysis.timeline.changed', { date: 'D', scenarios: 44766 })).toBe('D: cambiaron 44.766 casos');
    });

    it('in Spanish, with the vocabulary\'s Spanish words', () => {
      const es = wordsFor('es', corpus, d.A.engine);
      const prohibits = groups.find((g) => g.a === 'no_rule' && g.b === 'prohibited')!;
      const text = es.group(d.A, d.B, prohibits);
      expect(text).toMatch(/^Para .* cuando .*: Condado de Frederick el 2025-06-01 no tiene ninguna norma al respecto \(decide la discreción\); Condado de Frederick el 2026-11-15 lo prohíbe\.$/);
    });
  });

  describe('on the fixture corpus', () => {
    const corpus = fixtureCorpus(true);
    const engine = new Engine(corpus);
    const pool = new EnginePool(corpus);
    const words = wordsFor('en', corpus, engine);

    it('name each side by what tells it from the other', () => {
      expect(words.side(side(engine, 'us/md/alpha-county', '2018-01-10'))).toBe('Alpha County');
      expect(words.side(side(engine, 'us/md/alpha-county', '2018-01-10', { dated: true }))).toBe('Alpha County on 2018-01-10');
      const d = diffRequest(corpus, pool, { a: 'us/md/alpha-county', at: '2018-01-10', assumeInForce: ['state-bill'], assumeNotInForce: ['alpha-order'] });
      expect(words.side(d.B)).toBe('Alpha County with state-bill in force with alpha-order not in force');
      const g = gapsRequest(corpus, pool, { jurisdiction: 'us/md/gamma-county', against: 'delta-model', at: '2021-01-01' });
      expect(words.side(g.model)).toBe('Gamma County having adopted delta-model');
    });

    it('word a diff with agencies, conditions and verdicts', () => {
      const A = side(engine, 'us/md/alpha-county', '2018-01-10');
      const B = side(engine, 'us/md/gamma-county', '2020-01-01');
      const text = words.diffText(A, B, summarize(A, B));
      expect(text).toContain('  - For police and sheriff, when the person is a victim or a witness: Alpha County has no rule on it (discretion applies); Gamma County prohibits it. [7,776 scenarios for each]');
      const same = words.diffText(A, A, summarize(A, A));
      expect(same).toBe('Alpha County (us/md/alpha-county, 2018-01-10) against Alpha County (us/md/alpha-county, 2018-01-10): no differences.\n');
    });

    it('word a table summary, its Markdown, a timeline and a coverage report', () => {
      const summary = words.tableSummaryText(tableSummary(engine, ['us/md/alpha-county'], '2018-01-10', { agencies: ['corrections'], requests: ['detain_past_release', 'share_status_info'] }));
      expect(summary).toContain('permitted when the basis is a judicial warrant [alpha-order#hold-with-judge]');
      expect(summary).toMatch(/share_status_info +permitted in every case \[fed-sharing#/);
      const md = [...words.tableMarkdown(engine.vocabulary, tableRows(engine, ['us/md/alpha-county'], '2018-01-10', { requests: ['notify_release'], agencies: ['corrections'] }))].join('');
      expect(md).toContain('| request | facts | outcome | governing |');
      expect(md).toContain('| notify_release | basis: none, matter: any, serious_offense: any, covered_conviction: any, removal_warrant: any | prohibited | alpha-order#no-notice |');
      const t = words.timelineText('us/md/alpha-county', timeline(engine, 'us/md/alpha-county'));
      expect(t).toContain('+ alpha-order (Alpha County Executive Order) in force');
      expect(t).toMatch(/\n {4}Hold past release, for police and corrections, when the basis is .*: no rule before, prohibited from then on/);
      expect(words.timelineText('us/md/alpha-county', timeline(engine, 'us/md/alpha-county', { from: '2026-01-01' }))).toContain('No outcome changed in this period.');
      const cov = words.coverageText(coverage(corpus, pool, '2018-06-01'));
      expect(cov).toMatch(/^Provisions governing in some test: 2\/\d+ \(\d+\.\d%\)\n/);
      expect(wordsFor('es', corpus, engine).coverageText(coverage(corpus, pool, '2018-06-01'))).toMatch(/^Disposiciones que deciden en alguna prueba: 2\/\d+ \(\d+,\d %\)\n/);
    });
  });
});
