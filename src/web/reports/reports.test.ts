// The Reports page's renderer on a report of the documented shape (docs/reports.md): totals as bars and a table,
// "<5" and hidden counts drawn and worded as what they are, zeros published, the quarterly breakdown with its
// deviations marked, the checkpoint and signature shown, both languages, and a report of another shape refused.
import { describe, expect, it } from 'vitest';
import { defaultPoliciesRoot, loadCorpus } from '../../policy/load.js';
import { messages } from '../../app/presentation/messages.js';
import { languageWords } from '../../vocabulary/vocabulary.js';
import type { Assets } from '../assets.js';
import { contextFor } from '../page.js';
import { inlineCode } from '../testing/markup.js';
import { barChart } from './chart.js';
import { publicReportSchema, type PublicReport } from './report.js';
import { reportsMain } from './view.js';

const { corpus } = loadCorpus(defaultPoliciesRoot);
const assets: Assets = { url: (f) => `/assets/${f}`, has: () => true, files: [], manifest: {} };
const J = 'us/md/montgomery-county';
const total = (period: string, count: number | string, detail: string) => ({ kind: 'total', period, jurisdiction: J, request: null, basis: null, agent: null, action: null, outcome: null, deviation: null, count, detail });
const cell = (period: string, action: string, deviation: boolean, count: number | string) => ({
  kind: 'cell', period, jurisdiction: J, request: 'detain_past_release', basis: 'ice_detainer', agent: 'ice_ero', action, outcome: 'prohibited', deviation, count, detail: null,
});
const fixture = {
  report: 'trustrules/contacts-report/v1',
  query: { jurisdiction: J, descendants: false, from: '2026-01-01', to: '2026-12-31', by: 'quarter' },
  checkpoint: { origin: 'trust.example.gov/contacts', size: 42, root: 'cm9vdA==', note: 'trust.example.gov/contacts\n42\ncm9vdA==\n\n— trust.example.gov/contacts abc=\n' },
  periods: ['Q1', 'Q2', 'Q3', 'Q4'].map((q, i) => ({ id: `2026-${q}`, from: `2026-${String(i * 3 + 1).padStart(2, '0')}-01`, to: '2026-12-31' })),
  jurisdictions: [J],
  rows: [
    total('2026-Q1', 12, 'published'), cell('2026-Q1', 'declined', false, 'suppressed'), cell('2026-Q1', 'complied', true, '<5'),
    total('2026-Q2', '<5', 'withheld'), total('2026-Q3', 0, 'none'), total('2026-Q4', 'suppressed', 'withheld'),
  ],
  suppressed: { threshold: 5, below_threshold: 2, complementary: 2, withheld: 0, withheld_breakdowns: 2 },
  deleted_by_retention: 0,
  signature: 'trustrules contacts report v1\ntrust.example.gov/contacts\n42\nsha256 xyz\n\n— trust.example.gov/contacts sig=\n',
};

const render = (lang: 'en' | 'es', report: PublicReport) => {
  const ctx = contextFor(`/reports?jurisdiction=${J}&lang=${lang}`, undefined, assets, messages);
  return reportsMain({ ctx, corpus: corpus!, vocabulary: languageWords(lang), years: [2025, 2026] }, {
    form: { jurisdiction: J, by: 'quarter', fromYear: 2026, toYear: 2026, descendants: false }, errors: [], report, jsonHref: '/v1/reports/contacts?x', csvHref: '/v1/reports/contacts?x&format=csv',
  }).text;
};

describe('Reports page', () => {
  const report = publicReportSchema.parse(fixture);

  it('draws each period as a bar: counts to scale, "<5" as an outline up to the threshold, hidden counts as no bar', () => {
    const svg = barChart('c', 'T', [{ label: 'a', count: 10, text: '10' }, { label: 'b', count: '<5', text: '<5' }, { label: 'c', count: 'suppressed', text: 'hidden' }, { label: 'd', count: 0, text: '0' }], 5).text;
    const rects = [...svg.matchAll(/<rect class="([^"]+)" x="\d+" y="\d+" width="(\d+)"/g)].map((m) => [m[1], Number(m[2])]);
    expect(rects).toEqual([['chart__bar', 380], ['chart__bar chart__bar--below', 190]]);
    expect(svg).toContain('role="img" aria-labelledby="c"');
    expect(svg).toContain('<title id="c">T</title>');
  });

  it('shows totals, zeros, hidden counts and the breakdown with its deviation, with the checkpoint and signature', () => {
    const page = render('en', report);
    const totals = [...page.matchAll(/<tr><th scope="row">([^<]+)<\/th><td class="report-count">([^<]+)<\/td><td>([^<]*)<\/td><\/tr>/g)].map((m) => m.slice(1));
    expect(totals).toEqual([
      ['Q1 2026', '12', ''], ['Q2 2026', '&lt;5', 'Its breakdown is withheld to protect small counts'], ['Q3 2026', '0', 'No contacts: a reported zero'],
      ['Q4 2026', 'hidden (5 or more)', 'Its breakdown is withheld to protect small counts'],
    ]);
    expect(page).toContain('What was asked and done in Montgomery County, Q1 2026');
    expect(page.match(/report-cell--deviation/g)).toHaveLength(1);
    expect(page).toContain('“&lt;5” means from 1 to 4 contacts');
    expect(page).toContain('In this report: 2 counts below the threshold, 2 hidden to protect them, 2 withheld.');
    expect(page).toContain('names checkpoint 42');
    expect(page).toContain('sha256 xyz');
    expect(page).toContain('href="/v1/reports/contacts?x&amp;format=csv"');
    expect(inlineCode(page)).toEqual([]);
  });

  it('is all in Spanish with ?lang=es', () => {
    const page = render('es', report);
    expect(page).toContain('T1 2026');
    expect(page).toContain('oculto (5 o más)');
    expect(page).toContain('Lo que se pidió y se hizo en Condado de Montgomery, T1 2026');
    expect(page).not.toContain('Montgomery County');
    expect(page).toContain('Compruebe este informe');
  });

  it('refuses a report of another shape instead of drawing a wrong table', () => {
    expect(publicReportSchema.safeParse({ ...fixture, report: 'trustrules/contacts-report/v2' }).success).toBe(false);
    expect(publicReportSchema.safeParse({ ...fixture, rows: [{ ...fixture.rows[0], count: -1 }] }).success).toBe(false);
    expect(publicReportSchema.safeParse({ ...fixture, rows: [{ ...fixture.rows[0], count: 'about 3' }] }).success).toBe(false);
  });
});
