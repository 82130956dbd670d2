// The fuzz run, smaller and seeded, as a test: 2,000 malformed requests across every endpoint the server lists, over
// real sockets, against the API with a PGlite store: no 5xx, no request left unanswered, every refusal the contract's
// error object, and the server still answering afterwards. (The bench, fuzz.ts, sends 100,000+ and also the
// transport-level junk that Node's parser refuses before any route runs.)
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openContactStore, type OpenContactStore } from '../../src/store/open.js';
import { freshStore, type TestStore } from '../../src/store/testDatabases.js';
import { addUser } from '../../src/store/users.js';
import { buildServer } from '../../src/server/app.js';
import { endpointsOf, fuzz } from './send.js';

describe('fuzzing every endpoint', () => {
  let t: TestStore;
  let store: OpenContactStore;
  let app: FastifyInstance;
  let port = 0;
  let token = '';

  beforeAll(async () => {
    t = await freshStore('pglite');
    store = await openContactStore(t.config);
    token = (await addUser(store.db, { name: 'fuzz', role: 'staff', jurisdiction: 'us/md/montgomery-county' })).token;
    app = buildServer({ contacts: store });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await store?.close();
    await t?.dispose();
  });

  it('2,000 seeded malformed requests: no 5xx, all answered, every refusal the error object', async () => {
    const report = await fuzz({ port, seed: 2026, count: 2000, connections: 4, token, transport: false });
    process.stdout.write(`fuzz ${JSON.stringify({ statuses: report.statuses, ms: report.ms })}\n`);
    expect(report.problems).toEqual({});
    expect(report.noAnswer).toBe(0);
    expect(Object.keys(report.statuses).filter((s) => s.startsWith('5'))).toEqual([]);
    // Every endpoint the server lists was asked, and the run reached the routes (not only 404s): decisions, records,
    // refusals of every kind (415: a body in a Content-Type or a Content-Encoding not taken).
    expect(Object.keys(report.byEndpoint).sort()).toEqual([...await endpointsOf(port)].sort());
    for (const s of ['200', '201', '400', '401', '404', '405', '413', '415']) expect(report.statuses[s], s).toBeGreaterThan(0);
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
  }, 600_000);
});
