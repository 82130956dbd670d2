// For browser test files: one real site and one Chromium shared by the file's tests, started before them and
// stopped after (vitest hooks; kept apart from browser.ts, which scripts use outside vitest).
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser, startSite, type Browser, type Site } from './browser.js';

/** The file's site and browser, available once its beforeAll has run. */
export interface SiteAndBrowser {
  readonly site: Site;
  readonly browser: Browser;
}

/** Starts a site and a browser for the enclosing describe block (or file) and stops them after it. */
export function withSiteAndBrowser(): SiteAndBrowser {
  let site: Site | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    [site, browser] = await Promise.all([startSite(), launchBrowser()]);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await site?.stop();
  });
  return {
    get site() {
      if (!site) throw new Error('the site is not started yet (use it inside a test)');
      return site;
    },
    get browser() {
      if (!browser) throw new Error('the browser is not started yet (use it inside a test)');
      return browser;
    },
  };
}
