#!/usr/bin/env node
// Screenshots of every page of the web app in English and Spanish, into docs/screenshots/<name>-<lang>.png, taken
// from the real site (trustrules serve, throwaway data folder holding a staff and a supervisor account) in Debian's
// Chromium. Page owners add their pages to `pages` below: a file name, the address (without lang), and optionally
// the account it is seen by (`as`), steps to run first (`prepare`), an element to shoot alone (`element`), a viewport,
// or `fullPage: false` for the first screen only.
//   node scripts/screenshots.mjs            every page
//   node scripts/screenshots.mjs guide      only pages whose name starts with "guide"
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = path.join(root, 'docs', 'screenshots');
const COUNTY = 'us/md/montgomery-county';
const PASSWORD = 'a passphrase for the screenshots';
/** A corrections officer in Montgomery County handed a detainer, today: the answer staff record from. */
const deskAnswer = `/guide?actor.jurisdiction=${COUNTY}&actor.agency=corrections&request=detain_past_release&basis=ice_detainer`;

// The harness is TypeScript compiled into dist/ by the build.
const { startSite, launchBrowser } = await import(path.join(root, 'dist/web/testing/browser.js'));
const { addAccount, chooseByLabel, signInAs } = await import(path.join(root, 'dist/web/testing/accounts.js'));

/** Records the contact from the answer page's form (held on the detainer in English, declined in Spanish). */
async function recordFromAnswer(page, lang) {
  await page.fill('#record-contact #occurred-date', lang === 'en' ? '2026-11-03' : '2026-11-04');
  await page.fill('#record-contact #occurred-time', lang === 'en' ? '08:40' : '14:05');
  await chooseByLabel(page, '#record-contact input[name=agent][value=ice_ero]');
  await chooseByLabel(page, `#record-contact input[name=action][value=${lang === 'en' ? 'complied' : 'declined'}]`);
  await Promise.all([page.waitForURL(/\/records\/[0-9a-f-]{36}\?/), page.click('#record-contact button[type=submit]')]);
}

/** The pages: name, address, and how to take them. */
export const pages = [
  { name: 'home', url: '/' },
  { name: 'guide-place', url: '/guide' },
  { name: 'guide-search', url: '/guide?q=Montgomery+County+Public+Libraries' },
  { name: 'guide-request', url: '/guide?actor.jurisdiction=us/md/montgomery-county&actor.agency=executive' },
  { name: 'guide-basis', url: '/guide?date=2024-03-10&actor.jurisdiction=us/md/montgomery-county&actor.agency=executive&request=grant_facility_access' },
  { name: 'guide-warrants', url: '/guide?date=2024-03-10&actor.jurisdiction=us/md/montgomery-county&actor.agency=executive&request=grant_facility_access', element: '.guide-explain' },
  { name: 'guide-answer-prohibited', url: '/guide?date=2019-03-01&actor.jurisdiction=us/md/baltimore-county&actor.agency=corrections&request=detain_past_release&basis=ice_detainer' },
  { name: 'guide-answer-depends', url: '/guide?date=2024-03-10&actor.jurisdiction=us/md/montgomery-county&actor.agency=executive&request=grant_facility_access&basis=unknown&federal_court_warrant=unknown' },
  { name: 'guide-answer-mobile', url: '/guide?date=2019-03-01&actor.jurisdiction=us/md/baltimore-county&actor.agency=corrections&request=detain_past_release&basis=ice_detainer', viewport: { width: 390, height: 844 } },
  { name: 'explore', url: '/explore' },
  { name: 'explore-takoma-park', url: '/explore/us/md/montgomery-county/takoma-park', fullPage: false },
  { name: 'map', url: '/map?question=detainer-hold&date=2019-06-01' },
  { name: 'compare', url: '/compare?j=us/md/montgomery-county&j=us/md/frederick-county&date=2024-01-01' },
  { name: 'not-found', url: '/nothing-here' },
  { name: 'sign-in', url: `/sign-in?next=${encodeURIComponent(deskAnswer)}` },
  { name: 'guide-answer-record', url: deskAnswer, as: 'desk', element: '#record-contact' },
  { name: 'record-receipt', url: deskAnswer, as: 'desk', prepare: recordFromAnswer },
  { name: 'records', url: '/records', as: 'supervisor' },
  { name: 'reports', url: `/reports?jurisdiction=${COUNTY}&from_year=2026&to_year=2026` },
];

const only = process.argv[2];
mkdirSync(out, { recursive: true });
const dataDir = mkdtempSync(path.join(tmpdir(), 'trustrules-screenshots-'));
addAccount(dataDir, { username: 'desk', role: 'staff', jurisdiction: COUNTY, password: PASSWORD });
addAccount(dataDir, { username: 'supervisor', role: 'supervisor', jurisdiction: COUNTY, password: PASSWORD });
const site = await startSite({ env: { TRUSTRULES_DATA_DIR: dataDir } });
/** One browser per account (its own cookies), signed in when first needed; `anonymous` for everyone else. */
const browsers = new Map();
const browserFor = async (account = 'anonymous') => {
  if (!browsers.has(account)) {
    const browser = await launchBrowser();
    if (account !== 'anonymous') {
      const page = await browser.page();
      await signInAs(page, site.origin, { username: account, password: PASSWORD, next: '/account' });
      await page.close();
    }
    browsers.set(account, browser);
  }
  return browsers.get(account);
};
try {
  for (const p of pages.filter((x) => !only || x.name.startsWith(only))) {
    for (const lang of ['en', 'es']) {
      const page = await (await browserFor(p.as)).page();
      await page.setViewportSize(p.viewport ?? { width: 1024, height: 800 });
      const url = `${site.origin}${p.url}${p.url.includes('?') ? '&' : '?'}lang=${lang}`;
      await page.goto(url);
      if (p.prepare) await p.prepare(page, lang);
      const file = path.join(out, `${p.name}-${lang}.png`);
      if (p.element) await page.locator(p.element).screenshot({ path: file });
      else await page.screenshot({ path: file, fullPage: p.fullPage ?? true });
      console.log(path.relative(root, file));
      await page.close();
    }
  }
} finally {
  for (const b of browsers.values()) await b.close();
  await site.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
