#!/usr/bin/env node
// Server rendering time of each web page (bench/web/pages.mjs): the real site (trustrules serve), each page asked
// `--rounds` times one after another over a keep-alive connection, after a warm-up, as a browser would ask it
// (Accept-Encoding: br). Prints p50, p95 and p99 of the full response time per page. Target: p95 < 50 ms.
// `--in-process` renders through Fastify's inject instead (no socket, no compression): the rendering alone.
//   node bench/web/ssr.mjs [--rounds N] [--in-process] [--json FILE]
import http from 'node:http';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pages } from './pages.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { startSite } = await import(path.join(root, 'dist/web/testing/browser.js'));
const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const rounds = Number(opt('--rounds', '200'));
const jsonFile = opt('--json', undefined);

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const get = (origin, url) => new Promise((resolve, reject) => {
  const t0 = process.hrtime.bigint();
  http.get(`${origin}${url}`, { agent, headers: { 'accept-encoding': 'br', accept: 'text/html' } }, (res) => {
    let bytes = 0;
    res.on('data', (c) => (bytes += c.length));
    res.on('end', () => resolve({ status: res.statusCode, bytes, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
  }).on('error', reject);
});
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

const inProcess = args.includes('--in-process');
const results = [];
let site;
if (inProcess) {
  const Fastify = (await import('fastify')).default;
  const { EnginePool } = await import(path.join(root, 'dist/app/pool.js'));
  const { defaultPoliciesRoot, loadCorpus } = await import(path.join(root, 'dist/policy/load.js'));
  const { webApp } = await import(path.join(root, 'dist/web/app.js'));
  const { corpus } = loadCorpus(defaultPoliciesRoot, { tests: true });
  const app = Fastify();
  await app.register(webApp, { corpus, engines: new EnginePool(corpus) });
  await app.ready();
  site = { origin: '(in process)', stop: () => app.close(), inject: app };
} else {
  // One client asks thousands of times a minute: the server's per-address limit (600 a minute by default) is off.
  site = await startSite({ env: { TRUSTRULES_RATE_LIMIT_ADDRESS: '0' } });
}
const ask = async (url) => {
  if (!site.inject) return get(site.origin, url);
  const t0 = process.hrtime.bigint();
  const r = await site.inject.inject({ url, headers: { 'accept-encoding': 'identity' } });
  return { status: r.statusCode, bytes: r.rawPayload.length, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
};
let missed = 0;
try {
  for (const p of pages) {
    for (let i = 0; i < 20; i++) await ask(p.url);
    const times = [];
    let last;
    for (let i = 0; i < rounds; i++) {
      last = await ask(p.url);
      if (last.status !== 200) throw new Error(`${p.url}: HTTP ${last.status}`);
      times.push(last.ms);
    }
    times.sort((a, b) => a - b);
    const row = { page: p.name, url: p.url, rounds, p50_ms: +quantile(times, 0.5).toFixed(2), p95_ms: +quantile(times, 0.95).toFixed(2), p99_ms: +quantile(times, 0.99).toFixed(2), br_bytes: last.bytes };
    if (row.p95_ms >= 50) missed++;
    results.push(row);
    console.log(`${row.p95_ms < 50 ? 'ok  ' : 'MISS'} ${row.page}: p50 ${row.p50_ms} ms, p95 ${row.p95_ms} ms, p99 ${row.p99_ms} ms (${row.br_bytes} bytes${inProcess ? '' : ' brotli'})`);
  }
} finally {
  agent.destroy();
  await site.stop();
}
if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify({ rounds, inProcess, results }, null, 2)}\n`);
process.exitCode = missed ? 1 : 0;
