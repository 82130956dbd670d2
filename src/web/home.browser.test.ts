// The home page in a real Chromium: keyboard-only from the skip link to the language switch and back, and axe's
// WCAG 2.2 AA rules in English and Spanish.
import { describe, expect, it } from 'vitest';
import { axeViolations } from './testing/axe.js';
import { launchBrowser, tabTo } from './testing/browser.js';
import { withSiteAndBrowser } from './testing/suite.js';

describe('home page in Chromium', () => {
  const env = withSiteAndBrowser();

  it('is reached by keyboard: skip link first, then the language switch keeps the page, Spanish back to English', async () => {
    const page = await env.browser.page();
    await page.goto(`${env.site.origin}/`);
    expect(await page.title()).toMatch(/trustrules/);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to main content');
    await tabTo(page, '.language-switch a');
    await Promise.all([page.waitForURL(/lang=es/), page.keyboard.press('Enter')]);
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    expect(await page.locator('h1').textContent()).toBe('¿Puedo, debo o no debo?');
    // Every navigation link keeps the chosen language.
    for (const href of await page.locator('.site-nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))) expect(href).toMatch(/lang=es$/);
    await page.locator('.language-switch a').focus();
    await Promise.all([page.waitForURL(/lang=en/), page.keyboard.press('Enter')]);
    expect(await page.locator('h1').textContent()).toBe('May I, must I, must I not?');
    await page.close();
  });

  it('follows Accept-Language when no ?lang= is given', async () => {
    const es = await launchBrowser({ locale: 'es-MX' });
    try {
      const page = await es.page();
      await page.goto(`${env.site.origin}/`);
      expect(await page.locator('html').getAttribute('lang')).toBe('es');
    } finally {
      await es.close();
    }
  });

  for (const lang of ['en', 'es']) {
    it(`has no WCAG 2.2 AA violations (axe) in ${lang}`, async () => {
      const page = await env.browser.page();
      await page.goto(`${env.site.origin}/?lang=${lang}`);
      expect(await axeViolations(page)).toEqual([]);
      await page.close();
    });
  }
});

describe('the axe helper', () => {
  it('reports a violation when there is one (the check can fail)', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.page();
      await page.setContent('<!doctype html><html lang="en"><head><title>t</title></head><body><main><img src="x.png"><a href="/a"></a></main></body></html>');
      const ids = (await axeViolations(page)).map((v) => v.id);
      expect(ids).toContain('image-alt');
      expect(ids).toContain('link-name');
    } finally {
      await browser.close();
    }
  });
});
