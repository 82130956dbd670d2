#!/usr/bin/env node
// Lighthouse 12.2.3 on the web app's pages (bench/web/pages.mjs), against Debian's Chromium and the real site
// (trustrules serve, throwaway data folder). Prints accessibility, performance and best-practices scores, the bytes
// each page transfers (HTML, CSS, JS, compressed, as Lighthouse's network records count them), and what the service
// worker fetches once for the offline guide, counted apart. Targets: accessibility 100, performance >= 95,
// best practices >= 95, first guide page < 100 KB. Exit 1 when a target is missed.
//   node bench/web/lighthouse.mjs [--json FILE] [name-prefix]
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { pages } from './pages.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { startSite, chromiumPath, chromiumArgs } = await import(path.join(root, 'dist/web/testing/browser.js'));
const args = process.argv.slice(2);
const jsonAt = args.indexOf('--json');
const jsonFile = jsonAt >= 0 ? args.splice(jsonAt, 2)[1] : undefined;
const only = args[0];
/** Fetched by the service worker for offline use, once per version: not part of what a page needs to show. */
const offlineOnly = (url) => /\/(sw\.js|guide\/offline\.json|assets\/guide-offline\.js)(\?|$)/.test(new URL(url).pathname + new URL(url).search);

const site = await startSite();
const chrome = await chromeLauncher.launch({ chromePath: chromiumPath, chromeFlags: [...chromiumArgs] });
const results = [];
let missed = 0;
try {
  for (const p of pages.filter((x) => x.lighthouse && (!only || x.name.startsWith(only)))) {
    // Lighthouse 12.2.3 sometimes loses the trace of a load on this Chromium (NO_NAVSTART, NO_FCP: "run Lighthouse
    // again"): such a run measured nothing, so it is run again, up to three times, and the attempts are reported.
    let lhr;
    let attempts = 0;
    do {
      attempts++;
      ({ lhr } = await lighthouse(`${site.origin}${p.url}`, {
        port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['accessibility', 'performance', 'best-practices'],
      }));
    } while (lhr.runtimeError && attempts < 3);
    const requests = lhr.audits['network-requests']?.details?.items ?? [];
    const pageBytes = requests.filter((r) => !offlineOnly(r.url)).reduce((n, r) => n + (r.transferSize ?? 0), 0);
    const offlineBytes = requests.filter((r) => offlineOnly(r.url)).reduce((n, r) => n + (r.transferSize ?? 0), 0);
    const score = (id) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
    const row = {
      page: p.name, url: p.url, accessibility: score('accessibility'), performance: score('performance'), best_practices: score('best-practices'),
      transferred_kb: +(pageBytes / 1024).toFixed(1), offline_download_kb: +(offlineBytes / 1024).toFixed(1), requests: requests.filter((r) => !offlineOnly(r.url)).length,
      lcp_ms: Math.round(lhr.audits['largest-contentful-paint']?.numericValue ?? 0), tbt_ms: Math.round(lhr.audits['total-blocking-time']?.numericValue ?? 0),
      cls: +(lhr.audits['cumulative-layout-shift']?.numericValue ?? 0).toFixed(3),
      failing: Object.values(lhr.audits).filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode === 'binary').map((a) => a.id),
      attempts,
      ...(lhr.runtimeError ? { runtime_error: `${lhr.runtimeError.code}: ${lhr.runtimeError.message}` } : {}),
      console_errors: (lhr.audits['errors-in-console']?.details?.items ?? []).map((i) => `${i.source ?? ''} ${i.description ?? ''} ${i.sourceLocation?.url ?? i.url ?? ''}`.trim()),
    };
    const ok = row.accessibility === 100 && row.performance >= 95 && row.best_practices >= 95 && (!p.budget || row.transferred_kb < 100);
    if (!ok) missed++;
    results.push(row);
    console.log(`${ok ? 'ok  ' : 'MISS'} ${row.page}: accessibility ${row.accessibility}, performance ${row.performance}, best practices ${row.best_practices}, `
      + `${row.transferred_kb} KB in ${row.requests} requests (+${row.offline_download_kb} KB offline copy), LCP ${row.lcp_ms} ms, TBT ${row.tbt_ms} ms, CLS ${row.cls}`
      + `${attempts > 1 ? ` (measured at attempt ${attempts})` : ''}${row.runtime_error ? `; Lighthouse could not measure: ${row.runtime_error}` : ''}${row.failing.length ? `; failing audits: ${row.failing.join(', ')}` : ''}${row.console_errors.length ? ` (${row.console_errors.join('; ')})` : ''}`);
  }
  // The offline copy the service worker downloads once (per policy version), brotli as a browser receives it.
  const raw = (u) => new Promise((resolve, reject) => http.get(`${site.origin}${u}`, { headers: { 'accept-encoding': 'br' } }, (res) => {
    let bytes = 0;
    res.on('data', (c) => (bytes += c.length));
    res.on('end', () => resolve({ url: u, encoding: res.headers['content-encoding'] ?? 'identity', kb: +(bytes / 1024).toFixed(1) }));
  }).on('error', reject));
  const sizes = [];
  for (const u of ['/sw.js', '/guide/offline.json', '/assets/guide-offline.js']) sizes.push(await raw(u));
  results.push({ offline_copy: sizes });
  console.log(`offline copy, once: ${sizes.map((s) => `${s.url} ${s.kb} KB (${s.encoding})`).join(', ')}`);
} finally {
  await chrome.kill();
  await site.stop();
}
if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify({ lighthouse: '12.2.3', chromium: chromiumPath, results }, null, 2)}\n`);
process.exitCode = missed ? 1 : 0;
