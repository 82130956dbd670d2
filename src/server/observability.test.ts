// What operators see: request ids (a client's own only when short and plain), the log (one line per request, no query
// string, no client address unless asked, credentials and contact scenarios redacted), /readyz on a working and a
// broken store, and the Prometheus metrics at /metrics (counted in tallies: the same text as prom-client's own counting).
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openContactStore, type OpenContactStore } from '../store/open.js';
import { freshStore, type TestStore } from '../store/testDatabases.js';
import { addUser } from '../store/users.js';
import { buildServer } from './app.js';
import { Counter, Histogram, Registry } from 'prom-client';
import { seededRandom } from '../replay/synthetic.js';
import { pino } from 'pino';
import { MetricTallies, outcomeOf, requestLogger } from './observability.js';

const policies = fileURLToPath(new URL('./fixtures/policies', import.meta.url));
const COUNTY = 'us/md/example-county';
const scenario = { date: '2020-01-01', actor: { jurisdiction: COUNTY, agency: 'police' }, request: 'grant_facility_access', basis: 'ice_detainer' };

/** A server whose log lines are captured, parsed. */
function logged(service: Parameters<typeof buildServer>[0] = {}) {
  const lines: string[] = [];
  const app = buildServer({ policies, ...service, logStream: { write: (l: string) => void lines.push(l) } });
  return { app, lines, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('request ids', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = buildServer({ policies });
    await app.ready();
  });
  afterAll(() => app.close());

  it('keeps a short, plain x-request-id and echoes it', async () => {
    for (const id of ['abc-123', 'trace.01:span_9', 'x'.repeat(64)]) {
      const r = await app.inject({ method: 'POST', url: '/v1/decide', payload: scenario, headers: { 'x-request-id': id } });
      expect(r.headers['x-request-id']).toBe(id);
    }
  });

  it('replaces a long or unsafe one with a generated id, never echoing it', async () => {
    for (const id of ['x'.repeat(8000), '<script>alert(1)</script>', 'a b', 'é', '', 'x'.repeat(65), 'id\u0000']) {
      const r = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': id } });
      const echoed = String(r.headers['x-request-id']);
      expect(echoed).not.toBe(id);
      expect(echoed).toMatch(/^[0-9a-f-]{36}$/);
    }
    const a = await app.inject({ method: 'GET', url: '/healthz' });
    const b = await app.inject({ method: 'GET', url: '/healthz' });
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
  });
});

describe('the log', () => {
  it('writes one line per request: method, path without its query, route, status, time, request id; no client address', async () => {
    const { app, records } = logged({ service: { logLevel: 'info', logClientAddress: false } });
    try {
      await app.inject({ method: 'POST', url: '/v1/decide?lang=es', payload: scenario, headers: { 'x-request-id': 'req-42' }, remoteAddress: '198.51.100.23' });
      const lines = records().filter((r) => r.msg === 'request');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 30, reqId: 'req-42', method: 'POST', url: '/v1/decide', route: '/v1/decide', status: 200 });
      expect(typeof lines[0]!.ms).toBe('number');
      expect(JSON.stringify(records())).not.toContain('198.51.100.23');
      expect(JSON.stringify(records())).not.toContain('lang=es');
    } finally {
      await app.close();
    }
  });

  it('logs the client address when asked to', async () => {
    const { app, records } = logged({ service: { logLevel: 'info', logClientAddress: true } });
    try {
      await app.inject({ method: 'GET', url: '/healthz', remoteAddress: '198.51.100.23' });
      expect(records().find((r) => r.msg === 'request')).toMatchObject({ client: '198.51.100.23' });
    } finally {
      await app.close();
    }
  });

  it('writes nothing at all when off, and no request lines at warn', async () => {
    for (const logLevel of ['off', 'warn'] as const) {
      const { app, lines } = logged({ service: { logLevel } });
      try {
        await app.inject({ method: 'POST', url: '/v1/decide', payload: scenario });
        await app.inject({ method: 'GET', url: '/nowhere' });
        expect(lines, logLevel).toEqual([]);
      } finally {
        await app.close();
      }
    }
  });

  it('redacts Authorization, cookies, tokens and contact scenarios wherever they appear in a log line', async () => {
    const { app, lines } = logged({ service: { logLevel: 'trace' } });
    try {
      app.log.info({
        req: { headers: { authorization: 'Bearer SECRET-TOKEN-1', cookie: 'sid=SECRET-COOKIE-2' } },
        headers: { authorization: 'Bearer SECRET-TOKEN-3', cookie: 'sid=SECRET-COOKIE-4' },
        body: { scenario: { actor: { jurisdiction: 'SECRET-SCENARIO-5' } } },
        record: { scenario: { request: 'SECRET-SCENARIO-6' }, token: 'SECRET-TOKEN-7' },
      }, 'anything');
      const text = lines.join('');
      expect(text).toContain('[redacted]');
      expect(text).not.toMatch(/SECRET-/);
    } finally {
      await app.close();
    }
  });

  describe('on a contact store', () => {
    let t: TestStore;
    let open: OpenContactStore;
    beforeAll(async () => {
      t = await freshStore('pglite');
      open = await openContactStore(t.config);
    });
    afterAll(async () => {
      await open?.close();
      await t?.dispose();
    });

    it('a contact record posted at trace level leaves neither its token, its cookie nor its scenario in the log', async () => {
      const token = (await addUser(open.db, { name: 'desk', role: 'staff', jurisdiction: COUNTY, agency: 'police' })).token;
      const { app, lines } = logged({ contacts: open, service: { logLevel: 'trace', logClientAddress: false } });
      try {
        const r = await app.inject({
          method: 'POST', url: '/v1/contacts', headers: { authorization: `Bearer ${token}`, cookie: 'session=COOKIE-VALUE-9' },
          payload: { scenario: { actor: { jurisdiction: COUNTY, agency: 'police' }, request: 'grant_facility_access', basis: 'ice_administrative_warrant' }, occurred_at: '2026-03-10T14:05:00-05:00', agent: 'ice_ero', action: 'declined', site: 'SITE-CODE-77' },
        });
        expect(r.statusCode, r.body).toBe(201);
        const bad = await app.inject({ method: 'POST', url: '/v1/contacts', headers: { authorization: `Bearer ${token}` }, payload: { scenario: { actor: { jurisdiction: COUNTY, agency: 'police' }, request: 'grant_facility_access', name: 'Jane Roe' } } });
        expect(bad.statusCode).toBe(400);
        const text = lines.join('');
        expect(text).toContain('"route":"/v1/contacts"');
        for (const secret of [token, 'COOKIE-VALUE-9', 'ice_administrative_warrant', 'grant_facility_access', 'SITE-CODE-77', 'Jane Roe']) expect(text).not.toContain(secret);
      } finally {
        await app.close();
      }
    });
  });
});

describe('/readyz and /metrics', () => {
  let t: TestStore;
  let open: OpenContactStore;
  let app: FastifyInstance;
  let closed = false;
  beforeAll(async () => {
    t = await freshStore('pglite');
    open = await openContactStore(t.config);
    app = buildServer({ policies, contacts: open });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    if (!closed) await open?.close();
    await t?.dispose();
  });

  it('/healthz is alive and /readyz ready when the database answers, migrations are applied and the key is loaded', async () => {
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const r = await app.inject({ method: 'GET', url: '/readyz' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ status: 'ready', checks: { database: 'ok', migrations: 'ok', log_key: 'ok' } });
  });

  it('counts requests, latencies, decisions by outcome, contact appends and the log size', async () => {
    const token = (await addUser(open.db, { name: 'metrics-desk', role: 'staff', jurisdiction: COUNTY, agency: 'police' })).token;
    for (let i = 0; i < 3; i++) await app.inject({ method: 'POST', url: '/v1/decide', payload: scenario });
    await app.inject({ method: 'POST', url: '/v1/decide/batch', payload: [scenario, { ...scenario, basis: 'judicial_warrant' }] });
    const posted = await app.inject({ method: 'POST', url: '/v1/contacts', headers: { authorization: `Bearer ${token}` }, payload: { scenario: { actor: { jurisdiction: COUNTY, agency: 'police' }, request: 'grant_facility_access' }, occurred_at: '2026-03-10T14:05:00-05:00', agent: 'ice_ero', action: 'declined' } });
    expect(posted.statusCode, posted.body).toBe(201);
    const m = await app.inject({ method: 'GET', url: '/metrics' });
    expect(m.statusCode).toBe(200);
    expect(m.headers['content-type']).toMatch(/^text\/plain/);
    const text = m.body;
    const single = JSON.parse((await app.inject({ method: 'POST', url: '/v1/decide', payload: scenario })).body).outcome as string;
    expect(text).toMatch(/trustrules_http_requests_total\{method="POST",route="\/v1\/decide",status="200"\} 3\b/);
    expect(text).toMatch(/trustrules_http_request_duration_seconds_count\{route="\/v1\/decide"\} 3\b/);
    expect(text).toMatch(new RegExp(`trustrules_decisions_total\\{outcome="${single}"\\} [4-9]\\b`));
    expect(text).toMatch(/trustrules_contact_appends_total 1\b/);
    expect(text).toMatch(/trustrules_log_tree_size 1\b/);
    expect(text).toContain('trustrules_process_cpu_seconds_total');
    // No person's data in the metrics: no jurisdictions, no scenarios.
    expect(text).not.toContain(COUNTY);
  });

  it('/readyz says what is missing when migrations are not applied, and when the database is away', async () => {
    await open.db.query("DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)");
    const pending = await app.inject({ method: 'GET', url: '/readyz' });
    expect(pending.statusCode).toBe(503);
    expect(pending.json()).toMatchObject({ status: 'unavailable', checks: { database: 'ok', migrations: 'missing', log_key: 'ok' } });
    expect(pending.json().missing.join(' ')).toMatch(/migrations not applied: \d{3}_\w+/);
    await open.db.close();
    closed = true;
    const away = await app.inject({ method: 'GET', url: '/readyz' });
    expect(away.statusCode).toBe(503);
    expect(away.json()).toMatchObject({ status: 'unavailable', checks: { database: 'missing' } });
    expect(away.json().missing.join(' ')).toMatch(/^database: /);
    // Liveness is not readiness: the process still answers.
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});

describe('/readyz and /metrics without a store, and with a metrics token', () => {
  it('is not ready without a contact store, and says so', async () => {
    const app = buildServer({ policies });
    try {
      const r = await app.inject({ method: 'GET', url: '/readyz' });
      expect(r.statusCode).toBe(503);
      expect(r.json().missing).toEqual(['contact store: this server runs without one']);
    } finally {
      await app.close();
    }
  });

  it('asks for the metrics token when one is configured', async () => {
    const app = buildServer({ policies, service: { metricsToken: 'm-secret' } });
    try {
      const none = await app.inject({ method: 'GET', url: '/metrics' });
      expect(none.statusCode).toBe(401);
      expect(none.json().error).toMatchObject({ path: '(authorization)', allowed: ['Bearer <metrics token>'] });
      expect((await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(401);
      expect((await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer m-secret' } })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('reads the outcome at the head of a decision without parsing it', () => {
    expect(outcomeOf(new TextEncoder().encode('{"outcome":"prohibited","summary":"x"}'))).toBe('prohibited');
    expect(outcomeOf(new TextEncoder().encode('{"summary":"x"}'))).toBeUndefined();
  });
});

describe('metrics counted in tallies', () => {
  it('read as the same Prometheus text as prom-client counting each event itself, read after read', async () => {
    const buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];
    const [own, theirs] = [new Registry(), new Registry()];
    const tallies = new MetricTallies();
    const counter = tallies.counter({ name: 'c_total', help: 'c', labelNames: ['method', 'status'], registers: [own] });
    const histogram = tallies.histogram({ name: 'h_seconds', help: 'h', labelNames: ['route'], buckets, registers: [own] });
    const plainCounter = new Counter({ name: 'c_total', help: 'c', labelNames: ['method', 'status'], registers: [theirs] });
    const plainHistogram = new Histogram({ name: 'h_seconds', help: 'h', labelNames: ['route'], buckets, registers: [theirs] });
    const counts = new Map<string, ReturnType<MetricTallies['count']>>();
    const observed = new Map<string, ReturnType<MetricTallies['observed']>>();
    const r = seededRandom(5);
    for (let read = 0; read < 6; read++) {
      // Label sets appear over time, values fall in every bucket, below the first and above the last.
      for (let i = 0; i < 400; i++) {
        const method = ['GET', 'POST', 'HEAD'][Math.floor(r() * (1 + read / 2))]!;
        const status = String([200, 400, 404, 429][Math.floor(r() * 4)]);
        const route = `/r${Math.floor(r() * (2 + read))}`;
        const seconds = r() < 0.05 ? 20 + r() : r() < 0.1 ? buckets[Math.floor(r() * buckets.length)]! : r() ** 4 * 3;
        let c = counts.get(`${method} ${status}`);
        if (!c) counts.set(`${method} ${status}`, (c = tallies.count(counter, { method, status })));
        c.n++;
        plainCounter.inc({ method, status });
        let h = observed.get(route);
        if (!h) observed.set(route, (h = tallies.observed(histogram, { route })));
        MetricTallies.observe(buckets, h, seconds);
        plainHistogram.observe({ route }, seconds);
      }
      // A read with nothing new, every other time.
      expect(await own.metrics()).toBe(await theirs.metrics());
      if (read % 2) expect(await own.metrics()).toBe(await theirs.metrics());
    }
    expect((await own.metrics()).split('\n').length).toBeGreaterThan(100);
  });
});

describe('the request line', () => {
  it('is the bytes pino writes for the same fields (but the time), whatever the strings hold', () => {
    const ours: string[] = [];
    const theirs: string[] = [];
    const log = requestLogger({ level: 'info', clientAddress: true, stream: { write: (l: string) => void ours.push(l) } })!;
    const plain = pino({ level: 'info' }, { write: (l: string) => void theirs.push(l) });
    const urls = ['/v1/decide', '/v1/jurisdictions/us/md/montgomery-county', '/a"b\\c', '/\u0001\u001f\u007f', '/caf\u00e9/\u00ff', `/${'x'.repeat(60)}"`, '/\u2028\u00a0'];
    let n = 0;
    for (const url of urls) {
      for (const client of [undefined, '127.0.0.1', '::ffff:10.0.0.1']) {
        for (const ms of [0, 0.1, 12.3, 1234567.8]) {
          const reqId = n++ % 2 ? `clerk-${n}` : 'a8098c1a-f86e-11da-bd1a-00112444be1e';
          log.line(reqId, 'POST', url, '/v1/decide', 200 + (n % 300), ms, client);
          plain.info({ reqId, method: 'POST', url, route: '/v1/decide', status: 200 + (n % 300), ms, ...(client === undefined ? {} : { client }) }, 'request');
        }
      }
    }
    const untimed = (l: string) => l.replace(/^\{"level":30,"time":\d+,/, '{"level":30,"time":(now),');
    expect(ours.map(untimed)).toEqual(theirs.map(untimed));
    expect(ours.every((l) => /^\{"level":30,"time":\d+,"pid":\d+,"hostname":/.test(l) && l.endsWith('"msg":"request"}\n'))).toBe(true);
  });
});
