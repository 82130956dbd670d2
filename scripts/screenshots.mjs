#!/usr/bin/env node
// Screenshots of every page of the web app in English and Spanish, into docs/screenshots/<name>-<lang>.png, taken
// from the real site (trustrules serve, throwaway data folder) in Debian's Chromium. Page owners add their pages to
// `pages` below: a file name, the address (without lang), and optionally steps to run first or a viewport.
//   node scripts/screenshots.mjs            every page
//   node scripts/screenshots.mjs guide      only pages whose name starts with "guide"
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = path.join(root, 'docs', 'screenshots');

/** The pages: name, address, and an optional `prepare(page)` run after loading (a search typed, say). */
export const pages = [
  { name: 'home', url: '/' },
  { name: 'guide-place', url: '/guide' },
  { name: 'guide-search', url: '/guide?q=Montgomery+County+Public+Libraries' },
  { name: 'guide-request', url: '/guide?actor.jurisdiction=us/md/montgomery-county&actor.agency=executive' },
  { name: 'guide-basis', url: '/guide?date=2024-03-10&actor.jurisdiction=us/md/montgomery-county&actor.agency=executive&request=grant_facility_access' },
  { name: 'guide-answer-prohibited', url: '/guide?date=2019-03-01&actor.jurisdiction=us/md/baltimore-county&actor.agency=corrections&request=detain_past_release&basis=ice_detainer' },
  { name: 'guide-answer-depends', url: '/guide?date=2024-03-10&actor.jurisdiction=us/md/montgomery-county&actor.agency=executive&request=grant_facility_access&basis=unknown&federal_court_warrant=unknown' },
  { name: 'guide-answer-mobile', url: '/guide?date=2019-03-01&actor.jurisdiction=us/md/baltimore-county&actor.agency=corrections&request=detain_past_release&basis=ice_detainer', viewport: { width: 390, height: 844 } },
];

const only = process.argv[2];
// The harness is TypeScript compiled into dist/ by the build.
const { startSite, launchBrowser } = await import(path.join(root, 'dist/web/testing/browser.js'));
mkdirSync(out, { recursive: true });
const site = await startSite();
const browser = await launchBrowser();
try {
  for (const p of pages.filter((x) => !only || x.name.startsWith(only))) {
    for (const lang of ['en', 'es']) {
      const page = await browser.page();
      await page.setViewportSize(p.viewport ?? { width: 1024, height: 800 });
      const url = `${site.origin}${p.url}${p.url.includes('?') ? '&' : '?'}lang=${lang}`;
      await page.goto(url);
      if (p.prepare) await p.prepare(page);
      const file = path.join(out, `${p.name}-${lang}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(path.relative(root, file));
      await page.close();
    }
  }
} finally {
  await browser.close();
  await site.stop();
}
