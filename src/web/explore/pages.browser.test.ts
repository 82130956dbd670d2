// The Explorer, Map and Compare in a real Chromium against the real site: axe's WCAG 2.2 AA rules on every page in
// English and Spanish; the map's colours and table equal the `table` analysis for the same question and date; the
// slider changes the map, live with JavaScript and by submitting without it; Compare's cells equal `decide`; and
// every control is reached by keyboard.
import { describe, expect, it } from 'vitest';
import { EnginePool } from '../../app/pool.js';
import { decide } from '../../app/presentation/decisions.js';
import { defaultPoliciesRoot, loadCorpusOrThrow } from '../../policy/load.js';
import { today } from '../../app/dates.js';
import { tableAnswer } from '../map/tableAnswer.js';
import { loadQuestions } from '../map/questions.js';
import { axeViolations } from '../testing/axe.js';
import { launchBrowser, tabTo } from '../testing/browser.js';
import { withSiteAndBrowser } from '../testing/suite.js';
import type { Page } from 'playwright-core';
import { explorePages } from './pages.js';

const corpus = loadCorpusOrThrow(defaultPoliciesRoot);
const engines = new EnginePool(corpus);
const engine = engines.base;
const questions = loadQuestions(engine);

/** Each county shape's and town circle's jurisdiction and outcome, as the page draws them. */
async function mapColours(page: Page): Promise<Record<string, string>> {
  return page.$$eval('#map a[data-j]', (as) => Object.fromEntries(as.map((a) => [a.getAttribute('data-j')!, /fill--([a-z_]+)/.exec(a.firstElementChild!.getAttribute('class')!)![1]!])));
}

/** Each table row's jurisdiction and outcome. */
async function tableOutcomes(page: Page): Promise<Record<string, string>> {
  return page.$$eval('#map-table tbody tr[data-j]', (rows) => Object.fromEntries(rows.map((r) => [r.getAttribute('data-j')!, r.querySelector('td.answer [data-outcome]')!.getAttribute('data-outcome')!])));
}

/** What the table analysis gives every place of the map for a question on a date (`none` where the agency is missing). */
function expectedColours(questionId: string, date: string, ids: readonly string[]): Record<string, string> {
  const q = questions.find((x) => x.id === questionId)!;
  return Object.fromEntries(ids.map((id) => {
    return [id, engine.offers(id, q.scenario.actor.agency, q.scenario.request) ? tableAnswer(engine, q.scenario, id, date) : 'none'];
  }));
}

describe('Explorer, Map and Compare in Chromium', () => {
  const env = withSiteAndBrowser();

  for (const lang of ['en', 'es']) {
    it(`has no WCAG 2.2 AA violations (axe) on any page in ${lang}`, async () => {
      const page = await env.browser.page();
      for (const url of explorePages) {
        const r = await page.goto(`${env.site.origin}${url}${url.includes('?') ? '&' : '?'}lang=${lang}`);
        expect({ url, status: r!.status() }).toEqual({ url, status: 200 });
        expect({ url, violations: await axeViolations(page) }).toEqual({ url, violations: [] });
      }
      await page.close();
    }, 240_000);
  }

  it('colours the map and fills the table exactly as the table analysis answers, for every question on two dates', async () => {
    const page = await env.browser.page();
    for (const date of ['2017-03-01', '2026-11-15']) {
      for (const q of questions) {
        await page.goto(`${env.site.origin}/map?question=${q.id}&date=${date}`);
        const colours = await mapColours(page);
        expect(Object.keys(colours).length).toBeGreaterThanOrEqual(24);
        expect(colours).toEqual(expectedColours(q.id, date, Object.keys(colours)));
        expect(await tableOutcomes(page)).toEqual(colours);
      }
    }
    await page.close();
  }, 240_000);

  it('moves with the slider: live with JavaScript, keyboard only, and the map then equals the table analysis for today', async () => {
    const page = await env.browser.page();
    await page.goto(`${env.site.origin}/map?question=agreement&date=2019-06-01`);
    expect((await mapColours(page))['us/md/frederick-county']).not.toBe('prohibited');
    await tabTo(page, '#question');
    await tabTo(page, '#m');
    await page.keyboard.press('End');
    await page.waitForFunction(() => /fill--prohibited/.test(document.querySelector('#map a[data-j="us/md/frederick-county"] path')!.getAttribute('class')!));
    const now = today();
    expect(await page.locator('#m-value').textContent()).toBe(now);
    const colours = await mapColours(page);
    expect(colours).toEqual(expectedColours('agreement', now, Object.keys(colours)));
    expect(await tableOutcomes(page)).toEqual(colours);
    expect(page.url()).toContain(`date=${now}`);
    // A county is a link a keyboard reaches, to its Explorer page.
    await tabTo(page, '#map a[data-j]');
    await page.close();
  }, 120_000);

  it('moves with the slider without JavaScript: the form submits the month and the server redraws', async () => {
    const plain = await launchBrowser({ javaScript: false });
    try {
      const page = await plain.page();
      await page.goto(`${env.site.origin}/map?question=agreement&date=2019-06-01`);
      await tabTo(page, '#m');
      await page.keyboard.press('End');
      await tabTo(page, '#map-form button[type=submit]');
      await Promise.all([page.waitForURL(/[?&]m=\d+/), page.keyboard.press('Enter')]);
      const now = today();
      expect(await page.locator('#m-value').textContent()).toBe(now);
      const colours = await mapColours(page);
      expect(colours['us/md/frederick-county']).toBe('prohibited');
      expect(colours).toEqual(expectedColours('agreement', now, Object.keys(colours)));
    } finally {
      await plain.close();
    }
  }, 120_000);

  it('compares two places: every cell is decide\'s outcome, and the diff is worded under it', async () => {
    const page = await env.browser.page();
    const date = '2019-06-01';
    const sides = ['us/md/montgomery-county', 'us/md/frederick-county'];
    await page.goto(`${env.site.origin}/compare?j=${sides[0]}&j=${sides[1]}&date=${date}`);
    const cells = await page.$$eval('table.compare-table tbody tr', (rows) => rows.flatMap((r) => [...r.querySelectorAll('td[data-side]')].map((td) => ({
      agency: r.getAttribute('data-agency')!, request: r.getAttribute('data-request')!, side: Number(td.getAttribute('data-side')), outcome: td.querySelector('[data-outcome]')!.getAttribute('data-outcome')!,
    }))));
    expect(cells.length).toBeGreaterThan(40);
    for (const c of cells) {
      const j = sides[c.side]!;
      const outcome = engine.offers(j, c.agency, c.request) ? decide(engine, { date, actor: { jurisdiction: j, agency: c.agency }, request: c.request }).outcome : 'none';
      expect({ ...c, outcome }).toEqual(c);
    }
    expect(await page.locator('.compare-diff li').count()).toBeGreaterThan(0);
    await page.close();
  }, 120_000);

  it('filters the Explorer\'s tree as one types, and the search submits by keyboard', async () => {
    const page = await env.browser.page();
    await page.goto(`${env.site.origin}/explore`);
    await tabTo(page, '#q');
    await page.keyboard.type('takoma');
    await page.waitForFunction(() => document.querySelectorAll('#tree li:not([hidden])').length < 10);
    const visible = await page.$$eval('#tree li:not([hidden]) > a', (as) => as.map((a) => a.textContent));
    expect(visible).toContain('Takoma Park');
    expect(visible).not.toContain('Frederick County');
    await Promise.all([page.waitForURL(/q=takoma/), page.keyboard.press('Enter')]);
    await tabTo(page, '#results + ul a');
    await Promise.all([page.waitForURL(/takoma-park/), page.keyboard.press('Enter')]);
    expect(await page.locator('h1').textContent()).toBe('Takoma Park');
    await page.close();
  }, 120_000);
});
