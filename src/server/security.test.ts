// The service's hardening, over inject and a real socket: security headers and the CSP, CORS allowed and refused,
// OPTIONS, rate limits (429 with the contract's error object and Retry-After), and the contract's error object for
// what Fastify and Node refuse before a route runs (a bad URL, a path parameter too long, headers too large).
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GIVEN_MAX } from '../app/errors.js';
import { buildServer } from './app.js';
import { clientErrorRefusal } from './errors.js';
import { errorSchema } from './schemas.js';

const policies = fileURLToPath(new URL('./fixtures/policies', import.meta.url));
const county = 'us/md/example-county';
const scenario = { date: '2020-01-01', actor: { jurisdiction: county, agency: 'police' }, request: 'grant_facility_access', basis: 'ice_detainer' };
const contractError = (body: string) => errorSchema.parse(JSON.parse(body)).error;

/** Sends raw bytes on a socket and gives everything the server answers before it closes. */
function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    let out = '';
    socket.on('data', (d) => (out += d.toString()));
    socket.on('close', () => resolve(out));
    socket.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' || e.code === 'EPIPE' ? resolve(out) : reject(e)));
  });
}

function splitResponse(raw: string): { status: number; headers: Record<string, string>; body: string } {
  const [head = '', body = ''] = raw.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  return {
    status: Number(statusLine.split(' ')[1]),
    headers: Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()])),
    body,
  };
}

describe('security headers and the Content Security Policy', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = buildServer({ policies });
    await app.ready();
  });
  afterAll(() => app.close());

  it('every answer carries the CSP, HSTS, nosniff, a Referrer-Policy and no framing', async () => {
    for (const r of [
      await app.inject({ method: 'POST', url: '/v1/decide', payload: scenario }),
      await app.inject({ method: 'GET', url: '/healthz' }),
      await app.inject({ method: 'GET', url: '/no-such-page' }),
      await app.inject({ method: 'POST', url: '/v1/decide', payload: '{bad', headers: { 'content-type': 'application/json' } }),
    ]) {
      const csp = String(r.headers['content-security-policy']);
      const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
      expect(directives['script-src']).toEqual(["'self'"]);
      expect(directives['style-src']).toEqual(["'self'"]);
      expect(directives['script-src-attr']).toEqual(["'none'"]);
      expect(directives['frame-ancestors']).toEqual(["'none'"]);
      expect(directives['object-src']).toEqual(["'none'"]);
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(r.headers['strict-transport-security']).toMatch(/^max-age=31536000; includeSubDomains/);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
      expect(r.headers['x-frame-options']).toBe('DENY');
    }
  });

  it('CORS is closed by default: no Access-Control headers, and a preflight is refused with the error object', async () => {
    const simple = await app.inject({ method: 'POST', url: '/v1/decide', payload: scenario, headers: { origin: 'https://elsewhere.example' } });
    expect(simple.statusCode).toBe(200);
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await app.inject({ method: 'OPTIONS', url: '/v1/decide', headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'POST' } });
    expect(preflight.statusCode).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(contractError(preflight.body)).toMatchObject({ path: '(origin)', given: 'https://elsewhere.example', allowed: [] });
  });

  it('OPTIONS on an endpoint says which methods it answers; on nothing, 404 with the error object', async () => {
    const decide = await app.inject({ method: 'OPTIONS', url: '/v1/decide' });
    expect(decide.statusCode).toBe(204);
    expect(decide.headers.allow).toBe('POST, OPTIONS');
    const listing = await app.inject({ method: 'OPTIONS', url: '/v1/jurisdictions' });
    expect(listing.statusCode).toBe(204);
    expect(listing.headers.allow).toBe('GET, HEAD, OPTIONS');
    const none = await app.inject({ method: 'OPTIONS', url: '/v1/nothing-here' });
    expect(none.statusCode).toBe(404);
    expect(contractError(none.body).path).toBe('(url)');
  });
});

describe('CORS with an allow-list', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = buildServer({ policies, service: { corsOrigins: ['https://county.example'] } });
    await app.ready();
  });
  afterAll(() => app.close());

  it('answers the preflight of an allowed origin and reflects it on the request', async () => {
    const preflight = await app.inject({ method: 'OPTIONS', url: '/v1/decide', headers: { origin: 'https://county.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://county.example');
    expect(String(preflight.headers['access-control-allow-methods'])).toContain('POST');
    expect(String(preflight.headers['access-control-allow-headers'])).toContain('content-type');
    const r = await app.inject({ method: 'POST', url: '/v1/decide', payload: scenario, headers: { origin: 'https://county.example' } });
    expect(r.headers['access-control-allow-origin']).toBe('https://county.example');
    expect(String(r.headers.vary)).toMatch(/Origin/i);
  });

  it('refuses another origin (also one that only starts like the allowed one)', async () => {
    for (const origin of ['https://evil.example', 'https://county.example.evil.example', 'http://county.example']) {
      const preflight = await app.inject({ method: 'OPTIONS', url: '/v1/decide', headers: { origin, 'access-control-request-method': 'POST' } });
      expect(preflight.statusCode, origin).toBe(403);
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      expect(contractError(preflight.body)).toMatchObject({ path: '(origin)', given: origin, allowed: ['https://county.example'] });
      const r = await app.inject({ method: 'POST', url: '/v1/decide', payload: scenario, headers: { origin } });
      expect(r.headers['access-control-allow-origin']).toBeUndefined();
    }
  });
});

describe('rate limits', () => {
  it('per client address: the request over the limit gets 429, the error object and Retry-After', async () => {
    const app = buildServer({ policies, service: { rateLimitAddress: 3, rateLimitToken: 0, rateLimitWindowSeconds: 60 } });
    try {
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 5; i++) {
        last = await app.inject({ method: 'POST', url: '/v1/decide', payload: scenario, remoteAddress: '192.0.2.7' });
        statuses.push(last.statusCode);
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
      expect(last!.headers['x-ratelimit-limit']).toBe('3');
      expect(last!.headers['x-ratelimit-remaining']).toBe('0');
      // A refusal carries the security headers and a request id like any answer.
      expect(last!.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(last!.headers['x-request-id']).toBeTruthy();
      expect(contractError(last!.body)).toMatchObject({ path: '(client)', allowed: ['at most 3 requests per 60 s per client address'] });
      // Another address has its own count; unknown URLs count too.
      expect((await app.inject({ method: 'POST', url: '/v1/decide', payload: scenario, remoteAddress: '192.0.2.8' })).statusCode).toBe(200);
      for (let i = 0; i < 3; i++) await app.inject({ method: 'GET', url: '/nothing', remoteAddress: '192.0.2.9' });
      const scan = await app.inject({ method: 'GET', url: '/nothing', remoteAddress: '192.0.2.9' });
      expect(scan.statusCode).toBe(429);
      expect(contractError(scan.body).path).toBe('(client)');
    } finally {
      await app.close();
    }
  });

  it('per token: one token over its limit gets 429 while another token from the same address goes on', async () => {
    const app = buildServer({ policies, service: { rateLimitAddress: 100, rateLimitToken: 2, rateLimitWindowSeconds: 60 } });
    try {
      const ask = (token: string) => app.inject({ method: 'GET', url: '/v1/log/checkpoint', headers: { authorization: `Bearer ${token}` }, remoteAddress: '192.0.2.10' });
      const first = [await ask('a'), await ask('a'), await ask('a')].map((r) => r.statusCode);
      expect(first.slice(0, 2)).not.toContain(429);
      const over = await ask('a');
      expect(over.statusCode).toBe(429);
      expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
      expect(contractError(over.body)).toMatchObject({ path: '(authorization)', allowed: ['at most 2 requests per 60 s per token'] });
      expect((await ask('b')).statusCode).not.toBe(429);
    } finally {
      await app.close();
    }
  });
});

describe('refusals made before a route runs', () => {
  let app: FastifyInstance;
  let port: number;
  beforeAll(async () => {
    app = buildServer({ policies });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
  });
  afterAll(() => app.close());

  it('a badly %-encoded URL is a 400 with the error object (not FST_ERR_BAD_URL)', async () => {
    const r = await fetch(`http://127.0.0.1:${port}/v1/instruments/%E0%A4%A`);
    expect(r.status).toBe(400);
    const body = await r.text();
    expect(body).not.toContain('FST_');
    expect(contractError(body)).toMatchObject({ path: '(url)', allowed: ['a URL whose %-escapes spell UTF-8 text'] });
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('a path parameter too long is a 414 with the error object, its value cut short', async () => {
    const r = await fetch(`http://127.0.0.1:${port}/v1/instruments/${'x'.repeat(5000)}`);
    expect(r.status).toBe(414);
    const body = await r.text();
    expect(body).not.toContain('FST_');
    const e = contractError(body);
    expect(e.path).toBe('(url)');
    expect(String(e.given).length).toBeLessThan(100);
    expect(e.allowed).toEqual(['path segments of at most 200 characters']);
  });

  it('headers too large are a 431 with the error object', async () => {
    const raw = await rawExchange(port, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    const r = splitResponse(raw);
    expect(r.status).toBe(431);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(contractError(r.body)).toMatchObject({ path: '(headers)', given: null });
    expect(contractError(r.body).allowed?.length).toBe(1);
  });

  it('a client too slow to send its request gets 408 with the error object', () => {
    const r = clientErrorRefusal('ERR_HTTP_REQUEST_TIMEOUT', 16384);
    expect(r.httpStatus).toBe(408);
    expect(r.body().error).toMatchObject({ path: '(request)', given: null, allowed: ['a whole request within the request timeout'] });
  });

  it('a request that is not HTTP is a 400 with the error object', async () => {
    const r = splitResponse(await rawExchange(port, 'HELLO THERE\r\n\r\n'));
    expect(r.status).toBe(400);
    expect(contractError(r.body)).toMatchObject({ path: '(request)' });
  });
});

describe('error bodies', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = buildServer({ policies, bodyLimit: 16 * 1024 * 1024 });
    await app.ready();
  });
  afterAll(() => app.close());

  it('every JSON syntax error says what is allowed', async () => {
    for (const payload of ['{', '{"date": }', 'nope', '[1,]', '"\\u12"']) {
      for (const url of ['/v1/decide', '/v1/decide/batch']) {
        const r = await app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json' } });
        expect(r.statusCode).toBe(400);
        expect(contractError(r.body)).toMatchObject({ path: '(body)', allowed: ['JSON text (RFC 8259)'] });
      }
    }
  });

  it('a 10 MB bad value comes back as an excerpt with its length, not whole', async () => {
    const huge = 'w'.repeat(10 * 1024 * 1024);
    const r = await app.inject({ method: 'POST', url: '/v1/decide', payload: { ...scenario, basis: huge } });
    expect(r.statusCode).toBe(400);
    expect(r.body.length).toBeLessThan(4096);
    const e = contractError(r.body);
    expect(e.path).toBe('basis');
    expect(String(e.given).length).toBeLessThanOrEqual(GIVEN_MAX);
    expect(String(e.given).startsWith('www')).toBe(true);
    expect(e.given_length).toBe(huge.length);
    expect(e.allowed?.length).toBeGreaterThan(0);
  });

  it('a long structured value is shown as the start of its JSON, with its length', async () => {
    const big = Array.from({ length: 5000 }, (_, i) => i);
    const r = await app.inject({ method: 'POST', url: '/v1/decide', payload: { ...scenario, basis: big } });
    const e = contractError(r.body);
    expect(String(e.given).startsWith('[0,1,2')).toBe(true);
    expect(e.given_length).toBe(JSON.stringify(big).length);
  });

  it('the analysis parameters against, b, at and vs_date say what is allowed', async () => {
    const asks = [
      ['/v1/analysis/gaps?jurisdiction=us/md/example-county&at=2020-01-01', 'against'],
      ['/v1/analysis/gaps?jurisdiction=us/md/example-county&at=2020-01-01&against=nothing-like-it', 'against'],
      ['/v1/analysis/diff?a=us/md/example-county&at=2020-01-01', 'b'],
      ['/v1/analysis/diff?a=us/md/example-county&b=us/md/nowhere&at=2020-01-01', 'b'],
      ['/v1/analysis/diff?a=us/md/example-county&at=2020-13-01&b=us/md', 'at'],
      ['/v1/analysis/table?jurisdiction=us/md/example-county&at=2020-01-01&at=2020-01-02', 'at'],
      ['/v1/analysis/diff?a=us/md/example-county&at=2020-01-01&vs_date=yesterday', 'vs_date'],
      ['/v1/analysis/diff?a=us/md/example-county&b=us/md&at=2020-01-01&vs_date=2020-01-01', 'vs_date'],
    ] as const;
    for (const [url, path] of asks) {
      const r = await app.inject({ method: 'GET', url });
      expect(r.statusCode, url).toBe(400);
      const e = contractError(r.body);
      expect(e.path, url).toBe(path);
      expect(e.allowed?.length, `${url}: ${r.body}`).toBeGreaterThan(0);
    }
  });
});
