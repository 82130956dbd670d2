// The guide offline: after one visit, with the server stopped, the service worker renders questions and answers with
// the bundled engine, equal to `decide` on the same facts, in both languages, the place last answered preselected.
import { describe, expect, it } from 'vitest';
import { decide } from '../../app/presentation/decisions.js';
import { Engine } from '../../engine/engine.js';
import { defaultPoliciesRoot, loadCorpus } from '../../policy/load.js';
import { withSiteAndBrowser } from '../testing/suite.js';
import { guideCases } from '../testing/guide.js';
import { nextStep, type GuideAnswers } from './flow.js';

const engine = new Engine(loadCorpus(defaultPoliciesRoot, { tests: true }).corpus!);

/** The guide address a case ends on: its answers to the questions the guide asks, in the order it asks them. */
function answerUrl(c: ReturnType<typeof guideCases>[number], lang: string): { url: string; scenario: Record<string, unknown> } {
  let a: GuideAnswers = { date: c.scenario.date, jurisdiction: c.scenario.actor.jurisdiction, agency: c.scenario.actor.agency, request: c.scenario.request, facts: new Map() };
  for (;;) {
    const step = nextStep(engine, a);
    if (step.kind === 'answer') {
      const q = new URLSearchParams({ date: a.date, 'actor.jurisdiction': a.jurisdiction!, 'actor.agency': a.agency!, request: a.request!, lang });
      for (const [k, v] of a.facts) q.append(k, v);
      return { url: `/guide?${q}`, scenario: step.scenario };
    }
    if (step.kind !== 'fact') throw new Error(`unexpected step ${step.kind}`);
    const v = c.scenario[step.fact.id];
    a = { ...a, facts: new Map([...a.facts, [step.fact.id, v === undefined ? 'unknown' : String(v)]]) };
  }
}

describe('the guide offline', () => {
  const env = withSiteAndBrowser();

  it('keeps answering with the server gone, as decide does', async () => {
    const page = await env.browser.page();
    await page.goto(`${env.site.origin}/guide`);
    await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 60_000 });
    const origin = env.site.origin;
    // A place answered online, through the worker: it remembers it as the server's cookie does.
    await page.goto(`${origin}/guide?actor.jurisdiction=us%2Fmd%2Fhoward-county`);
    await env.site.stop();
    expect((await fetch(`${origin}/guide`).catch(() => undefined))?.status).toBeUndefined();

    // The first question offline has that place chosen already.
    const first = await page.goto(`${origin}/guide`);
    expect(first?.headers()['x-trustrules-offline']).toBe('1');
    expect(await page.locator('input[name="actor.jurisdiction"]:checked').getAttribute('value')).toBe('us/md/howard-county');

    // A question page, searched offline.
    const search = await page.goto(`${origin}/guide?q=Takoma+Park&lang=es`);
    expect(search?.headers()['x-trustrules-offline']).toBe('1');
    expect(await page.locator('input[name="actor.jurisdiction"]:checked').getAttribute('value')).toBe('us/md/montgomery-county/takoma-park');
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    // The stylesheet came from the worker's cache.
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('.site-header')!).display)).toBe('block');

    for (const [i, c] of guideCases(engine, 12).entries()) {
      const lang = i % 2 ? 'es' : 'en';
      const { url, scenario } = answerUrl(c, lang);
      const r = await page.goto(`${origin}${url}`);
      expect(r?.headers()['x-trustrules-offline']).toBe('1');
      const expected = decide(engine, scenario, lang);
      expect({ case: c.name, outcome: await page.locator('[data-outcome]').getAttribute('data-outcome') }).toEqual({ case: c.name, outcome: expected.outcome });
      expect(await page.locator('.answer__summary').textContent()).toBe(expected.summary);
      expect(await page.locator('main').innerText()).toContain(expected.policy_version);
    }

    // A bad answer is refused offline as online: a page naming the field.
    const bad = await page.goto(`${origin}/guide?actor.jurisdiction=us/md/nowhere`);
    expect(bad?.status()).toBe(400);
    expect(await page.locator('[role=alert]').innerText()).toContain('actor.jurisdiction');
    await page.close();
  }, 240_000);
});
