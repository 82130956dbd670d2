// For browser test files: one real site and one Chromium shared by the file's tests, started before them and
// stopped after (vitest hooks; kept apart from browser.ts, which scripts use outside vitest).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { addAccount } from './accounts.js';
import { ensureSiteBuilt, launchBrowser, startSite, type Browser, type Site } from './browser.js';

/** What a beforeAll started, once it has. */
function started<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the ${what} is not started yet (use it inside a test)`);
  return value;
}

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
      return started(site, 'site');
    },
    get browser() {
      return started(browser, 'browser');
    },
  };
}

/** A site with accounts and a browser, and each account's API token by username. */
export interface AccountsSiteAndBrowser extends SiteAndBrowser {
  readonly tokens: Readonly<Record<string, string>>;
}

/**
 * Starts a site whose data folder already holds these accounts (made with the CLI, each with `password`), and a
 * browser, for the enclosing describe block; stops both and removes the folder after it.
 */
export function withAccounts(accounts: readonly { username: string; role: string; jurisdiction: string }[], password: string): AccountsSiteAndBrowser {
  let site: Site | undefined;
  let browser: Browser | undefined;
  let dataDir: string | undefined;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    ensureSiteBuilt();
    dataDir = mkdtempSync(path.join(tmpdir(), 'trustrules-accounts-'));
    for (const a of accounts) tokens[a.username] = addAccount(dataDir, { ...a, password });
    [site, browser] = await Promise.all([startSite({ env: { TRUSTRULES_DATA_DIR: dataDir } }), launchBrowser()]);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await site?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  return {
    tokens,
    get site() {
      return started(site, 'site');
    },
    get browser() {
      return started(browser, 'browser');
    },
  };
}
