// The guide in a real Chromium, by keyboard only: real Maryland cases (from the policy tests) walked to an answer in
// English and in Spanish, typing the place's name in the search and choosing each answer with the arrow keys; at
// every question the engine confirms the answer could change the outcome, and the answer shown is `decide`'s on the
// case. Then axe on every kind of guide page seen, in both languages, and the guide without JavaScript.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { decide } from '../../app/presentation/decisions.js';
import { Engine } from '../../engine/engine.js';
import { defaultPoliciesRoot, loadCorpus } from '../../policy/load.js';
import type { ScenarioJson } from '../../vocabulary/scenario.js';
import { axeViolations } from '../testing/axe.js';
import { launchBrowser, tabTo } from '../testing/browser.js';
import { withSiteAndBrowser } from '../testing/suite.js';
import { canChange, guideCases, type GuideCase } from '../testing/guide.js';

const engine = new Engine(loadCorpus(defaultPoliciesRoot, { tests: true }).corpus!);
const cases = guideCases(engine, 32);
/** One page of each kind seen during the walks, by language and kind, to be checked with axe. */
const seen = new Map<string, string>();

const env = withSiteAndBrowser();

/** Presses Enter on the focused control and waits for the next page. */
async function submit(page: Page): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
}

/** Moves through a radio group with the arrow keys until `value` is checked (arrows select as they move). */
async function chooseRadio(page: Page, name: string, value: string): Promise<void> {
  const selector = `.guide-form input[type=radio][name="${name}"]`;
  await tabTo(page, selector);
  const count = await page.locator(selector).count();
  for (let i = 0; i <= count; i++) {
    if (await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value) === value) break;
    await page.keyboard.press('ArrowDown');
  }
  // Tab lands on the first radio of a group with none checked without checking it: Space does.
  if (!(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.checked))) await page.keyboard.press('Space');
  expect(await page.locator(`${selector}:checked`).getAttribute('value'), `${name}=${value}`).toBe(value);
}

/** The answer a case gives to a question: its own value, or "I don't know" when the case does not say. */
function answerOf(c: GuideCase, name: string): string {
  if (name === 'actor.jurisdiction') return c.scenario.actor.jurisdiction;
  if (name === 'actor.agency') return c.scenario.actor.agency;
  if (name === 'request') return c.scenario.request;
  const v = c.scenario[name];
  return v === undefined ? 'unknown' : String(v);
}

/** Clicks the label of a radio (USWDS draws its own radio; the input itself is off screen). */
async function pick(page: Page, selector: string): Promise<void> {
  const id = await page.locator(selector).getAttribute('id');
  await page.click(`label[for="${id}"]`);
}

/** Walks the guide for a case by keyboard; returns the outcome shown and the facts the guide asked. */
async function walk(page: Page, c: GuideCase, lang: 'en' | 'es'): Promise<{ outcome: string; asked: string[]; version: string }> {
  await page.goto(`${env.site.origin}/guide?date=${c.scenario.date}&lang=${lang}`);
  seen.set(`${lang} place`, page.url());
  const j = engine.corpus.jurisdictions.get(c.scenario.actor.jurisdiction)!;
  await tabTo(page, '#place-search');
  await page.keyboard.type(j.name);
  await submit(page);
  seen.set(`${lang} search`, page.url());
  const asked: string[] = [];
  const answers: ScenarioJson = { date: c.scenario.date, actor: { ...c.scenario.actor }, request: c.scenario.request };
  for (let step = 0; step < 20; step++) {
    const result = page.locator('[data-outcome]');
    if (await result.count()) {
      seen.set(`${lang} answer ${await result.getAttribute('data-outcome')}`, page.url());
      const version = (/sha256:[0-9a-f]{64}/.exec(await page.locator('main').innerText()) ?? [''])[0];
      return { outcome: (await result.getAttribute('data-outcome'))!, asked, version };
    }
    const name = (await page.locator('.guide-form input[type=radio]').first().getAttribute('name'))!;
    seen.set(`${lang} ${['actor.jurisdiction', 'actor.agency', 'request'].includes(name) ? name : `fact ${name}`}`, page.url());
    if (!['actor.jurisdiction', 'actor.agency', 'request'].includes(name)) {
      // The rule of contract section 9, checked against the engine with the answers given so far.
      const fact = engine.vocabulary.fact(name)!;
      expect({ case: c.name, fact: name, matters: canChange(engine, answers, fact) }).toMatchObject({ matters: true });
      asked.push(name);
      answers[name] = answerOf(c, name) === 'unknown' ? 'unknown' : c.scenario[name];
    }
    await chooseRadio(page, name, answerOf(c, name));
    await tabTo(page, '.guide-form button[type=submit]');
    await submit(page);
  }
  throw new Error(`${c.name}: no answer after 20 pages (${page.url()})`);
}

describe('the guide walked by keyboard to the answer decide gives', () => {
  it('has at least 30 real Maryland cases to walk', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  for (const lang of ['en', 'es'] as const) {
    cases.forEach((c, i) => {
      it(`${lang} #${i + 1}: ${c.name} (${c.file.split('/').pop()})`, async () => {
        const page = await env.browser.page();
        try {
          const { outcome, asked, version } = await walk(page, c, lang);
          const expected = decide(engine, c.scenario, lang);
          expect({ outcome, version }).toEqual({ outcome: expected.outcome, version: expected.policy_version });
          // What the guide asked, with nothing else known, decides the same.
          const narrowed: ScenarioJson = { date: c.scenario.date, actor: c.scenario.actor, request: c.scenario.request };
          for (const f of asked) if (c.scenario[f] !== undefined) narrowed[f] = c.scenario[f];
          expect(engine.outcome(engine.codec.parse(narrowed))).toBe(outcome);
        } finally {
          await page.close();
        }
      });
    });
  }

  it('tells the person to choose when they continue without an answer, and says so to screen readers', async () => {
    const page = await env.browser.page();
    await page.goto(`${env.site.origin}/guide?actor.jurisdiction=us/md/montgomery-county&actor.agency=executive&lang=es`);
    await tabTo(page, '.guide-form button[type=submit]');
    await submit(page);
    const alert = page.locator('[role=alert]');
    expect(await alert.textContent()).toBe('Elija una respuesta para continuar.');
    expect(await page.locator('fieldset').getAttribute('aria-describedby')).toContain(await alert.getAttribute('id'));
    seen.set('es error', page.url());
    await page.close();
  });
});

describe('the guide without JavaScript', () => {
  it('searches, asks and answers by GET alone', async () => {
    const nojs = await launchBrowser({ javaScript: false });
    try {
      const page = await nojs.page();
      await page.goto(`${env.site.origin}/guide?date=2024-03-10`);
      await page.fill('#place-search', 'Montgomery County Public Libraries');
      await Promise.all([page.waitForNavigation(), page.click('.guide-search button[type=submit]')]);
      // One place found, checked, and the office named by the search is carried.
      await Promise.all([page.waitForNavigation(), page.click('.guide-form button[type=submit]')]);
      expect(await page.locator('input[name=request]').count()).toBeGreaterThan(5);
      await pick(page, 'input[name=request][value=grant_facility_access]');
      await Promise.all([page.waitForNavigation(), page.click('.guide-form button[type=submit]')]);
      await pick(page, 'input[name=basis][value=ice_administrative_warrant]');
      await Promise.all([page.waitForNavigation(), page.click('.guide-form button[type=submit]')]);
      for (let i = 0; i < 5 && !(await page.locator('[data-outcome]').count()); i++) {
        await pick(page, '.guide-form input[type=radio][value=unknown]');
        await Promise.all([page.waitForNavigation(), page.click('.guide-form button[type=submit]')]);
      }
      const url = new URL(page.url());
      const scenario: ScenarioJson = { date: '2024-03-10', actor: { jurisdiction: 'us/md/montgomery-county', agency: 'executive' }, request: 'grant_facility_access' };
      for (const [k, v] of url.searchParams) if (engine.vocabulary.fact(k)) scenario[k] = engine.vocabulary.fact(k)!.boolean && v !== 'unknown' ? v === 'true' : v;
      expect(await page.locator('[data-outcome]').getAttribute('data-outcome')).toBe(decide(engine, scenario).outcome);
      expect(await page.locator('[data-print]').isHidden()).toBe(true);
    } finally {
      await nojs.close();
    }
  });
});

describe('axe on every kind of guide page', () => {
  it('finds no WCAG 2.2 AA violation on any page the walks saw, in English and Spanish', async () => {
    expect(seen.size).toBeGreaterThan(8);
    const page = await env.browser.page();
    const problems: Record<string, unknown> = {};
    for (const [kind, url] of [...seen].sort()) {
      await page.goto(url);
      const v = await axeViolations(page);
      if (v.length) problems[kind] = v;
    }
    expect([...seen.keys()].some((k) => k.startsWith('es '))).toBe(true);
    expect(problems).toEqual({});
    await page.close();
  }, 300_000);
});
