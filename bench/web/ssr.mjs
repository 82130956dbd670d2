#!/usr/bin/env node
// Server rendering time of each web page (bench/web/pages.mjs): the real site (trustrules serve), each page asked
// `--rounds` times one after another over a keep-alive connection, after a warm-up, as a browser would ask it
// (Accept-Encoding: br). Prints p50, p95 and p99 of the full response time per page. Target: p95 < 50 ms.
// `--in-process` renders through Fastify's inject instead (no socket, no compression): the rendering alone.
// Pages marked `staff` are asked with the session of a staff account made for the run (the real CLI, a throwaway data
// folder) and signed in through the sign-in form, so the answer page carries the record form.
//   node bench/web/ssr.mjs [--rounds N] [--in-process] [--json FILE]
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
/** One request over the keep-alive connection: its status, body size, time, and (when `keep`) body and cookies. */
const send = (origin, url, { cookie, form, keep = false } = {}) => new Promise((resolve, reject) => {
  const t0 = process.hrtime.bigint();
  const body = form ? new URLSearchParams(form).toString() : undefined;
  const headers = { 'accept-encoding': keep ? 'identity' : 'br', accept: 'text/html', ...(cookie ? { cookie } : {}), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) };
  const req = http.request(`${origin}${url}`, { agent, method: body ? 'POST' : 'GET', headers }, (res) => {
    let bytes = 0;
    const chunks = [];
    res.on('data', (c) => {
      bytes += c.length;
      if (keep) chunks.push(c);
    });
    res.on('end', () => resolve({
      status: res.statusCode, bytes, ms: Number(process.hrtime.bigint() - t0) / 1e6,
      ...(keep ? { body: Buffer.concat(chunks).toString('utf8'), cookies: (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]) } : {}),
    }));
  });
  req.on('error', reject);
  req.end(body);
});
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

const inProcess = args.includes('--in-process');
const results = [];
// A staff account of the staff pages' county, made before the server opens the data folder.
const STAFF = { username: 'bench-desk', role: 'staff', jurisdiction: 'us/md/baltimore-county', password: 'bench staff password, long enough' };
const withStaff = pages.some((p) => p.staff);
const dataDir = withStaff ? mkdtempSync(path.join(tmpdir(), 'trustrules-ssr-')) : undefined;
if (dataDir) {
  const { addAccount } = await import(path.join(root, 'dist/web/testing/accounts.js'));
  addAccount(dataDir, STAFF);
}
let site;
let contacts;
if (inProcess) {
  const Fastify = (await import('fastify')).default;
  const { EnginePool } = await import(path.join(root, 'dist/app/pool.js'));
  const { defaultPoliciesRoot, loadCorpus } = await import(path.join(root, 'dist/policy/load.js'));
  const { webApp } = await import(path.join(root, 'dist/web/app.js'));
  const { corpus } = loadCorpus(defaultPoliciesRoot, { tests: true });
  if (dataDir) {
    const { contactStoreConfigFromEnv, openContactStore } = await import(path.join(root, 'dist/store/open.js'));
    contacts = await openContactStore(contactStoreConfigFromEnv({ TRUSTRULES_DATA_DIR: dataDir }));
  }
  const app = Fastify();
  await app.register(webApp, { corpus, engines: new EnginePool(corpus), ...(contacts ? { contacts } : {}) });
  await app.ready();
  site = { origin: '(in process)', stop: async () => { await app.close(); await contacts?.close(); }, inject: app };
} else {
  // One client asks thousands of times a minute: the server's per-address limit (600 a minute by default) is off.
  site = await startSite({ env: { TRUSTRULES_RATE_LIMIT_ADDRESS: '0', ...(dataDir ? { TRUSTRULES_DATA_DIR: dataDir } : {}) } });
}
const ask = async (url, o = {}) => {
  if (!site.inject) return send(site.origin, url, o);
  const t0 = process.hrtime.bigint();
  const r = await site.inject.inject({
    url, method: o.form ? 'POST' : 'GET', headers: { 'accept-encoding': 'identity', ...(o.cookie ? { cookie: o.cookie } : {}), ...(o.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    ...(o.form ? { payload: new URLSearchParams(o.form).toString() } : {}),
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { status: r.statusCode, bytes: r.rawPayload.length, ms, ...(o.keep ? { body: r.body, cookies: r.cookies.map((c) => `${c.name}=${c.value}`) } : {}) };
};
/** Signs in through the sign-in form as a browser does (its CSRF cookie and token); returns the cookie header. */
async function signIn() {
  const jar = new Map();
  const keep = (r) => r.cookies.forEach((c) => jar.set(c.split('=')[0], c));
  const cookie = () => [...jar.values()].join('; ');
  const form = await ask('/sign-in', { keep: true });
  keep(form);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
  if (!csrf) throw new Error('/sign-in: no CSRF token on the form');
  const r = await ask('/sign-in', { keep: true, cookie: cookie(), form: { _csrf: csrf, username: STAFF.username, password: STAFF.password } });
  keep(r);
  if (r.status !== 303 || !jar.has('trustrules_session')) throw new Error(`/sign-in: HTTP ${r.status}, no session`);
  return cookie();
}
let missed = 0;
try {
  const staffCookie = withStaff ? await signIn() : undefined;
  for (const p of pages) {
    const o = p.staff ? { cookie: staffCookie } : {};
    if (p.staff) {
      // The page measured is the one staff see: the record form with its token, not the sign-in offer.
      const page = await ask(p.url, { ...o, keep: true });
      if (!/id="record-contact"[\s\S]*action="\/record[?"][\s\S]*name="_csrf"/.test(page.body)) throw new Error(`${p.url}: no record form for the signed-in staff account`);
    }
    for (let i = 0; i < 20; i++) await ask(p.url, o);
    const times = [];
    let last;
    for (let i = 0; i < rounds; i++) {
      last = await ask(p.url, o);
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
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify({ rounds, inProcess, results }, null, 2)}\n`);
process.exitCode = missed ? 1 : 0;
