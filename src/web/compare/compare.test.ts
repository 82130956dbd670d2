// Compare on the real corpus: its sides are checked like the diff command's, every cell is decide's answer, a cell
// differs exactly where the diff analysis finds scenarios that differ or where a side has no such office (which the
// diff cannot see), and the page words the diff's groups.
import { describe, expect, it } from 'vitest';
import { diffRows } from '../../analysis/diff.js';
import { EnginePool } from '../../app/pool.js';
import { ContractError } from '../../app/errors.js';
import { decide } from '../../app/presentation/decisions.js';
import { analysisWordsFor } from '../../app/presentation/analysisLanguage.js';
import { defaultPoliciesRoot, loadCorpusOrThrow } from '../../policy/load.js';
import { testWords } from '../explore/testWords.js';
import { compareSides, compareView, draftsFor } from './model.js';
import { compareMain } from './render.js';

const corpus = loadCorpusOrThrow(process.env.TRUSTRULES_POLICIES ?? defaultPoliciesRoot);
const engines = new EnginePool(corpus);
const today = '2026-12-01';

const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof ContractError) return e.body().error.path;
    throw e;
  }
  return undefined;
};

describe('compare\'s parameters', () => {
  it('refuse, naming the parameter: an unknown place, one place alone, five places, a bad date, an unknown draft, vs with draft', () => {
    expect(refusal(() => compareSides(corpus, engines, { j: ['us/md/atlantis'] }, today))).toBe('j');
    expect(refusal(() => compareSides(corpus, engines, { j: ['us/md/howard-county'] }, today))).toBe('j');
    const five = ['us/md/howard-county', 'us/md/kent-county', 'us/md/cecil-county', 'us/md/talbot-county', 'us/md/garrett-county'];
    expect(refusal(() => compareSides(corpus, engines, { j: five }, today))).toBe('j');
    expect(refusal(() => compareSides(corpus, engines, { j: five.slice(0, 2), date: '2019-02-30' }, today))).toBe('date');
    expect(refusal(() => compareSides(corpus, engines, { j: ['us/md/howard-county'], draft: 'no-such-bill' }, today))).toBe('draft');
    expect(refusal(() => compareSides(corpus, engines, { j: ['us/md/howard-county'], vs: '2019-01-01', draft: 'howard-cb9-2017' }, today))).toBe('draft');
    expect(refusal(() => compareSides(corpus, engines, { j: five.slice(0, 2), vs: '2019-01-01' }, today))).toBe('j');
    expect(compareSides(corpus, engines, { j: five.slice(0, 2) }, today).date).toBe(today);
  });
});

describe('the comparison', () => {
  const cases = [
    { name: 'Montgomery against Frederick, 2019', q: { j: ['us/md/montgomery-county', 'us/md/frederick-county'], date: '2019-06-01' } },
    { name: 'Frederick on two dates', q: { j: ['us/md/frederick-county'], date: '2025-06-01', vs: '2026-11-15' } },
    { name: 'Howard with the vetoed CB9-2017', q: { j: ['us/md/howard-county'], date: '2017-06-01', draft: 'howard-cb9-2017' } },
    { name: 'three places', q: { j: ['us/md/baltimore-city', 'us/md/montgomery-county/takoma-park', 'us/md/wicomico-county'], date: '2026-11-15' } },
  ];
  it.each(cases)('$name: every cell is decide\'s outcome, and differs exactly where the diff finds scenarios', ({ q }) => {
    const { mode, date, sides } = compareSides(corpus, engines, q, today);
    const view = compareView(mode, date, sides);
    const vocab = sides[0]!.engine.vocabulary;
    // A row for every actor some side has and can ask this; an answer wherever that side can.
    const actors = vocab.requestIds.flatMap((r) => vocab.agencyIds.filter((a) => sides.some((s) => s.engine.offers(s.jurisdiction, a, r))).map((a) => `${a} ${r}`));
    expect(view.cells.map((c) => `${c.agency} ${c.request}`).sort()).toEqual(actors.sort());
    for (const cell of view.cells) {
      sides.forEach((s, i) => {
        if (!s.engine.offers(s.jurisdiction, cell.agency, cell.request)) return expect(cell.answers[i]).toBeUndefined();
        const d = decide(s.engine, { date: s.date, actor: { jurisdiction: s.jurisdiction, agency: cell.agency }, request: cell.request });
        expect(cell.answers[i]!.outcome).toBe(d.outcome);
      });
    }
    for (const cell of view.cells) {
      // A row differs where the answers do, and where some side has no such office.
      const outcomes = new Set(cell.answers.flatMap((a) => (a ? [a.outcome] : [])));
      const difference = outcomes.size > 1 ? 'outcome' : cell.answers.some((a) => !a) ? 'office' : undefined;
      expect({ cell: `${cell.agency} ${cell.request}`, difference: cell.difference, differs: cell.differs })
        .toEqual({ cell: `${cell.agency} ${cell.request}`, difference, differs: difference !== undefined });
    }
    for (const pair of view.pairs) {
      const b = sides.indexOf(pair.b);
      for (const cell of view.cells) {
        const [x, y] = [cell.answers[0], cell.answers[b]];
        if (!x || !y) continue; // the diff walks only actors both sides have
        const rows = [...diffRows(pair.a, pair.b, { agencies: [cell.agency], requests: [cell.request] })];
        // Different answers need some scenario that differs; no differing scenario means the same answer.
        if (x.outcome !== y.outcome) expect(rows.length, `${cell.agency} ${cell.request}`).toBeGreaterThan(0);
        if (!rows.length) expect(y.outcome).toBe(x.outcome);
      }
    }
  });

  it('marks a row where one side has no such office as differing, which the diff cannot see, and words it in English and Spanish', () => {
    const q = { j: ['us/md/montgomery-county', 'us/md/montgomery-county/takoma-park'], date: '2026-11-15' };
    const { mode, date, sides } = compareSides(corpus, engines, q, today);
    const view = compareView(mode, date, sides);
    // Takoma Park has a police department and a city government, no sheriff, jail or school system of its own.
    const gaps = view.cells.filter((x) => !x.answers[1]);
    expect(new Set(gaps.map((x) => x.agency))).toEqual(new Set(['sheriff', 'corrections', 'school']));
    for (const cell of gaps) {
      expect({ cell: `${cell.agency} ${cell.request}`, difference: cell.difference, differs: cell.differs }).toEqual({ cell: `${cell.agency} ${cell.request}`, difference: 'office', differs: true });
      expect([...diffRows(sides[0]!, sides[1]!, { agencies: [cell.agency], requests: [cell.request] })]).toEqual([]);
    }
    for (const [lang, mark] of [['en', 'differs: not every side has this office'], ['es', 'difiere: no todos los lados tienen esta dependencia']] as const) {
      const page = compareMain(testWords(corpus, lang), corpus, q, date, [], view).text;
      for (const cell of gaps) {
        expect(page).toMatch(new RegExp(`<tr class="differs" data-agency="${cell.agency}" data-request="${cell.request}"><th scope="row">[^<]+ <span class="differs__mark">${mark}</span>`));
      }
    }
  });

  it('words the diff with the presentation layer\'s sentences, in English and Spanish', () => {
    const { mode, date, sides } = compareSides(corpus, engines, { j: ['us/md/howard-county'], date: '2017-06-01', draft: 'howard-cb9-2017' }, today);
    const view = compareView(mode, date, sides);
    const pair = view.pairs[0]!;
    expect(pair.summary.total).toBeGreaterThan(0);
    for (const lang of ['en', 'es'] as const) {
      const page = compareMain(testWords(corpus, lang), corpus, { j: ['us/md/howard-county'], date: '2017-06-01', draft: 'howard-cb9-2017' }, date, draftsFor(corpus, engines, 'us/md/howard-county', date), view).text;
      const words = analysisWordsFor(lang, corpus);
      for (const g of pair.summary.groups(pair.a.engine.vocabulary)) {
        expect(page).toContain(words.group(pair.a, pair.b, g).replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/"/g, '&quot;'));
      }
      expect(page).toContain(lang === 'en' ? 'Howard County with howard-cb9-2017 in force' : 'howard-cb9-2017');
      expect(page).toContain('<option value="howard-cb9-2017" selected>');
      expect(page).not.toMatch(/\sstyle\s*=|<script|<style[\s>]/);
    }
  });

  it('offers as drafts only instruments of the chain not in force on the date', () => {
    const drafts = draftsFor(corpus, engines, 'us/md/howard-county', '2017-06-01');
    expect(drafts).toContain('howard-cb9-2017');
    for (const id of drafts) expect(engines.base.inForce(id, '2017-06-01')).toBe(false);
  });
});
