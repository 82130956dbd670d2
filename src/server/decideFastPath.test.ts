// The decide fast path against the Fastify route it stands in for, over real sockets: two servers built alike, one
// with the fast path and one without, get the same seeded requests (valid scenarios in every language and many
// refusals: bad JSON, unknown and prototype keys, wrong types, nesting, wrong or missing Content-Type, oversize and
// chunked bodies, queries, bad languages, odd request ids, rate-limited addresses and tokens, a body cut short) one by
// one; every answer must be the same bytes (status line, headers in order, body) apart from the date and random
// request ids, and so must the metrics and the request log afterwards. And the fast path on a TLS server.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzRequests, type FuzzRequest } from '../../bench/fuzz/requests.js';
import { loadCorpus } from '../policy/load.js';
import { seededRandom } from '../replay/synthetic.js';
import { projectVocabulary } from '../vocabulary/model.js';
import { buildServer, type ServerOptions } from './app.js';
import { fastPathCounts } from './decideFastPath.js';

const policies = fileURLToPath(new URL('./fixtures/policies', import.meta.url));
const COUNT = 1500;
/** The address limit is reached near the end of the run, so the last requests are refused with 429. */
const ADDRESS_LIMIT = COUNT - 60;
const TOKEN_LIMIT = 12;
const BODY_LIMIT = 64 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Answer {
  readonly status: string;
  readonly headers: readonly string[];
  readonly body: string;
  readonly seconds: readonly number[];
}

/** Whether two answers are the same bytes, but for rate-limit seconds a few apart (each window began at that server's first request, whose answer may take a while). */
function same(a: Answer, b: Answer): boolean {
  const bare = (x: Answer) => JSON.stringify({ ...x, seconds: [], body: x.body.replace(/retry in \d+ s/, 'retry in (seconds) s'), headers: x.headers.map((v, i) => (i % 2 === 1 && /^(retry-after|x-ratelimit-reset)$/i.test(x.headers[i - 1]!) ? '(seconds)' : v)) });
  return bare(a) === bare(b) && a.seconds.length === b.seconds.length && a.seconds.every((s, i) => Math.abs(s - b.seconds[i]!) <= 5);
}

/** One request on `agent`'s connection; chunked when `chunked` (no Content-Length). The answer with its headers in order. */
function exchange(port: number, agent: http.Agent, req: Extract<FuzzRequest, { kind: 'http' }>, chunked: boolean): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const r = http.request({
      host: '127.0.0.1', port, method: req.method, path: req.path, agent,
      headers: { ...req.headers, ...(req.body && !chunked ? { 'content-length': String(req.body.length) } : {}) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({
        status: `${res.httpVersion} ${res.statusCode} ${res.statusMessage}`,
        // The date, and a request id the server made up, differ between any two answers; so may the seconds left
        // in a rate-limit window (each server's window began at its own first request): those are compared apart.
        headers: res.rawHeaders.map((v, i) => (i % 2 === 1 && (/^date$/i.test(res.rawHeaders[i - 1]!) || UUID.test(v)) ? '(varies)' : v)),
        seconds: res.rawHeaders.flatMap((v, i) => (i % 2 === 1 && /^(retry-after|x-ratelimit-reset)$/i.test(res.rawHeaders[i - 1]!) ? [Number(v)] : [])),
        // (and the 429's message says them too)
        body: Buffer.concat(chunks).toString('latin1'),
      }));
      res.on('error', reject);
    });
    r.on('error', reject);
    if (req.body && chunked) {
      const half = req.body.length >> 1;
      r.write(req.body.subarray(0, half));
      r.write(req.body.subarray(half));
    } else if (req.body) r.write(req.body);
    r.end();
  });
}

/** A body announced longer than what is sent, then the connection closed: whatever the server says, or nothing. */
function cutShort(port: number, body: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(`POST /v1/decide HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length + 50}\r\n\r\n${body}`);
      setTimeout(() => socket.destroy(), 50);
    });
    let out = '';
    socket.on('data', (d) => (out += d.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(out));
  });
}

/** What two runs' metrics must agree on: counts (not the latency buckets, which are timing). */
async function countedMetrics(port: number): Promise<string[]> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return text.split('\n').filter((l) => /^trustrules_(http_requests_total|decisions_total|http_request_duration_seconds_count)\b/.test(l)).sort();
}

/**
 * The log lines, without what differs between two runs (time, duration, made-up request ids, process, port) and the
 * ready line's word on whether the fast path is on (checked apart).
 */
function comparableLog(lines: readonly string[]): string[] {
  return lines.map((l) => {
    const { time: _t, ms: _ms, pid: _p, hostname: _h, decide_fast_path: _f, reqId, ...rest } = JSON.parse(l) as Record<string, unknown>;
    return JSON.stringify({ ...rest, reqId: typeof reqId === 'string' && UUID.test(reqId) ? '(varies)' : reqId }).replace(/127\.0\.0\.1:\d+/g, '(address)');
  }).sort();
}

/** Requests near a valid scenario: every kind of actor, request, basis and date, with headers a client may send. */
function nearValid(seed: number, jurisdictions: readonly string[]): (n: number) => { req: Extract<FuzzRequest, { kind: 'http' }>; chunked: boolean } {
  const vocab = projectVocabulary();
  const bases = ['none', 'ice_detainer', 'ice_administrative_warrant', 'judicial_warrant', 'court_order', 'exigent_circumstances'];
  return (n) => {
    const r = seededRandom(seed * 7919 + n);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const scenario: Record<string, unknown> = {
      actor: { jurisdiction: r() < 0.05 ? 'us/md/nowhere' : pick(jurisdictions), agency: r() < 0.05 ? 'sheriff?' : pick(vocab.agencyIds) },
      request: pick(vocab.requestIds), basis: r() < 0.05 ? 'nope' : pick(bases),
    };
    if (r() < 0.8) scenario.date = `${2012 + Math.floor(r() * 16)}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-1${Math.floor(r() * 10)}`;
    if (r() < 0.05) scenario.extra = 1;
    if (r() < 0.03) scenario.actor = { ...(scenario.actor as object), badge: '123' };
    const headers: Record<string, string> = { 'content-type': pick(['application/json', 'application/json', 'application/json', 'application/json; charset=utf-8', 'Application/JSON', 'application/json;charset=UTF-8']) };
    const lang = pick(['', '', 'es', 'es-MX,es;q=0.9,en;q=0.8', 'en-US,en;q=0.9', 'fr', '*', 'es;q=abc']);
    if (lang) headers['accept-language'] = lang;
    if (r() < 0.2) headers['x-request-id'] = pick(['clerk-42', 'a.b:c_d-e', '<script>', 'x'.repeat(80), '']);
    if (r() < 0.25) headers.authorization = pick(['Bearer token-a', 'Bearer token-b', 'Bearer token-c', 'Bearer token-d', 'Bearer ', 'Basic eDp5']);
    const path = r() < 0.08 ? pick(['/v1/decide?lang=es', '/v1/decide?lang=xx', '/v1/decide?x=1', '/v1/decide/', '/v1/decide?']) : '/v1/decide';
    return { req: { kind: 'http', category: 'near valid', method: 'POST', path, headers, body: Buffer.from(JSON.stringify(scenario)) }, chunked: r() < 0.04 };
  };
}

describe('the decide fast path answers as the Fastify route does', () => {
  const logs: Record<'fast' | 'route', string[]> = { fast: [], route: [] };
  const servers: Partial<Record<'fast' | 'route', FastifyInstance>> = {};
  const ports = { fast: 0, route: 0 };
  const { corpus } = loadCorpus(policies);
  const jurisdictions = [...corpus!.jurisdictions.keys()];

  const options = (which: 'fast' | 'route'): ServerOptions => ({
    corpus: corpus!, bodyLimit: BODY_LIMIT, decideFastPath: which === 'fast',
    service: { logLevel: 'info', rateLimitAddress: ADDRESS_LIMIT, rateLimitToken: TOKEN_LIMIT, rateLimitWindowSeconds: 3600 },
    logStream: { write: (line: string) => void logs[which].push(line) },
    analysis: { threads: 0 },
  });

  beforeAll(async () => {
    for (const which of ['fast', 'route'] as const) {
      const app = buildServer(options(which));
      await app.listen({ port: 0, host: '127.0.0.1' });
      servers[which] = app;
      ports[which] = (app.server.address() as AddressInfo).port;
    }
  }, 60_000);
  afterAll(async () => {
    await servers.fast?.close();
    await servers.route?.close();
  });

  it(`${COUNT} seeded requests, valid and not: the same status, headers and body from both`, async () => {
    const valid = nearValid(11, jurisdictions);
    const malformed = fuzzRequests(11, ['POST /v1/decide'], { transport: false });
    const agents = { fast: new http.Agent({ keepAlive: true, maxSockets: 1 }), route: new http.Agent({ keepAlive: true, maxSockets: 1 }) };
    const differences: string[] = [];
    const statuses: Record<string, number> = {};
    let decisionsOnTheFastPath = 0;
    for (let n = 0; n < COUNT; n++) {
      const { req, chunked } = n % 5 < 3 ? valid(n) : { req: malformed(n), chunked: false };
      if (req.kind !== 'http') continue;
      if (n === COUNT >> 1) {
        // A body cut short, on its own connection: neither server may answer it, nor count it differently.
        const [a, b] = [await cutShort(ports.fast, '{"date":"2020-01-01"'), await cutShort(ports.route, '{"date":"2020-01-01"')];
        expect(a).toBe(b);
      }
      const fast = await exchange(ports.fast, agents.fast, req, chunked);
      const route = await exchange(ports.route, agents.route, req, chunked);
      const status = route.status.split(' ')[1]!;
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status === '200' && req.method === 'POST' && req.path === '/v1/decide' && !chunked && /^application\/json(; charset=utf-8)?$/.test(req.headers['content-type'] ?? '')) decisionsOnTheFastPath++;
      if (!same(fast, route) && differences.length < 5) {
        const [f, g] = [JSON.stringify(fast), JSON.stringify(route)];
        let at = 0;
        while (f[at] === g[at]) at++;
        differences.push(`${req.method} ${req.path} ${JSON.stringify(req.headers)} ${req.body?.subarray(0, 120).toString('latin1')}\n fast:  …${f.slice(Math.max(0, at - 100), at + 300)}\n route: …${g.slice(Math.max(0, at - 100), at + 300)}`);
      }
    }
    agents.fast.destroy();
    agents.route.destroy();
    expect(differences).toEqual([]);
    // The run covered answers and refusals of every kind the route gives, the rate limits' included.
    for (const s of ['200', '400', '404', '405', '413', '415', '429']) expect(statuses[s], `${s} in ${JSON.stringify(statuses)}`).toBeGreaterThan(0);
    // Every decision of a request the fast path takes was its answer; the rest it handed over (the route answered them).
    const counts = fastPathCounts(servers.fast!)!;
    expect(counts.answered).toBe(decisionsOnTheFastPath);
    process.stdout.write(`fast path ${JSON.stringify({ ...counts, statuses })}\n`);
    expect(counts.answered).toBeGreaterThan(COUNT / 8);
    expect(counts.handedOver).toBeGreaterThan(COUNT / 10);
    expect(fastPathCounts(servers.route!)).toBeUndefined();

    expect(await countedMetrics(ports.fast)).toEqual(await countedMetrics(ports.route));
    expect(comparableLog(logs.fast)).toEqual(comparableLog(logs.route));
    const ready = (lines: readonly string[]) => lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'trustrules API ready');
    expect([ready(logs.fast)?.decide_fast_path, ready(logs.route)?.decide_fast_path]).toEqual([true, false]);
    expect(logs.fast.length).toBeGreaterThan(COUNT);
  }, 300_000);

  it('answers and keeps running when the request log fails after a decision was sent', async () => {
    let failures = 0;
    const app = buildServer({ ...options('fast'), logStream: {
      // Only the decision's request line fails: Fastify's own start-up lines must be written.
      write: (line: string) => {
        if (!line.includes('/v1/decide')) return;
        failures++;
        throw new Error('the log\'s disk is full');
      },
    } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const port = (app.server.address() as AddressInfo).port;
      const res = await fetch(`http://127.0.0.1:${port}/v1/decide`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ date: '2020-01-01', actor: { jurisdiction: 'us/md/example-county', agency: 'police' }, request: 'detain_past_release', basis: 'ice_detainer' }),
      });
      expect(res.status).toBe(200);
      expect(fastPathCounts(app)?.answered).toBe(1);
      expect(failures).toBeGreaterThan(0);
      // The process is still here and the server still answers.
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('stays off when the route has a hook it does not do the work of, and the route answers', async () => {
    const app = buildServer({ ...options('fast'), logStream: { write: () => undefined } });
    app.addHook('onRequest', (_request, reply, done) => {
      reply.header('x-extra', '1');
      done();
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const res = await fetch(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/v1/decide`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ date: '2020-01-01', actor: { jurisdiction: 'us/md/example-county', agency: 'police' }, request: 'detain_past_release', basis: 'ice_detainer' }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-extra')).toBe('1');
      expect(fastPathCounts(app)).toBeUndefined();
    } finally {
      await app.close();
    }
  });
});

describe('the decide fast path over TLS', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'trustrules-tls-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // A throwaway self-signed certificate for 127.0.0.1.
  const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  const tls = { key: readFileSync(key), cert: readFileSync(cert) };

  it('serves the https options given (not a plain server in their place), and answers there', async () => {
    const { corpus } = loadCorpus(policies);
    const app = buildServer({ corpus: corpus!, https: tls, service: { logLevel: 'off' }, analysis: { threads: 0 } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      expect(app.server).toBeInstanceOf(https.Server);
      const port = (app.server.address() as AddressInfo).port;
      const ask = (body: string) => new Promise<{ status: number; body: string }>((resolve, reject) => {
        const r = https.request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/decide', ca: tls.cert, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, body: text }));
        });
        r.on('error', reject);
        r.end(body);
      });
      const decided = await ask(JSON.stringify({ date: '2020-01-01', actor: { jurisdiction: 'us/md/example-county', agency: 'police' }, request: 'detain_past_release', basis: 'ice_detainer' }));
      expect(decided.status).toBe(200);
      expect(JSON.parse(decided.body)).toHaveProperty('outcome');
      // A refusal is handed to Fastify on the same TLS connection's server.
      const refused = await ask('{"date":');
      expect(refused.status).toBe(400);
      expect(fastPathCounts(app)).toEqual({ answered: 1, handedOver: 1 });
    } finally {
      await app.close();
    }
  });

  it('sets the TLS server the plain one\'s header limit, with the fast path and without, and answers past it with the 431 error object', async () => {
    const { corpus } = loadCorpus(policies);
    const plain = buildServer({ corpus: corpus!, analysis: { threads: 0 } });
    await plain.ready();
    const limit = (plain.server as { maxHeaderSize?: number }).maxHeaderSize;
    await plain.close();
    expect(limit).toBe(16 * 1024);
    for (const decideFastPath of [true, false]) {
      // A caller's own maxHeaderSize in the https options does not win over the server's.
      const app = buildServer({ corpus: corpus!, https: { ...tls, maxHeaderSize: 64 * 1024 }, decideFastPath, service: { logLevel: 'off' }, analysis: { threads: 0 } });
      await app.listen({ port: 0, host: '127.0.0.1' });
      try {
        expect(app.server, `fast path ${decideFastPath}`).toBeInstanceOf(https.Server);
        expect((app.server as { maxHeaderSize?: number }).maxHeaderSize, `fast path ${decideFastPath}`).toBe(limit);
        const port = (app.server.address() as AddressInfo).port;
        const big = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
          const r = https.request({ host: '127.0.0.1', port, path: '/healthz', ca: tls.cert, headers: { 'x-big': 'a'.repeat((limit ?? 0) + 1000) } }, (res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c.toString()));
            res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body: text }));
          });
          r.on('error', reject);
          r.end();
        });
        expect([big.status, big.type], `fast path ${decideFastPath}`).toEqual([431, 'application/json; charset=utf-8']);
        expect(JSON.parse(big.body), `fast path ${decideFastPath}`).toHaveProperty('error.path', '(headers)');
      } finally {
        await app.close();
      }
    }
  });
});
