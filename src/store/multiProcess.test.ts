// Two server processes on one PostgreSQL append at once: one linear order, no index twice, no gap, every receipt
// verifying with Go's tlog and note packages, also after one of the servers is killed and started again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTlogcheck, type TlogReceipt } from '../../test/go/tlogcheck.js';
import { openDatabase } from './database.js';
import { migrate } from './migrate.js';
import { freshStore, type TestStore } from './testDatabases.js';
import { load, request, startServerProcess, type ServerProcess } from './testServers.js';
import { addUser } from './users.js';
import { NoteVerifier } from '../log/index.js';
import { logSigner } from './open.js';
import { verifyStoredLog } from './verify.js';

const COUNTY = 'us/md/montgomery-county';
const body = (i: number) => ({
  scenario: { actor: { jurisdiction: COUNTY, agency: i % 2 ? 'police' : 'corrections' }, request: 'detain_past_release', basis: i % 3 ? 'ice_detainer' : 'judicial_warrant' },
  occurred_at: '2026-03-10T14:05:00-05:00', agent: 'ice_ero', action: i % 4 ? 'declined' : 'complied',
});

describe('two server processes on postgres', () => {
  let t: TestStore;
  let servers: ServerProcess[] = [];
  let staff = '';
  let auditor = '';
  let env: Record<string, string>;

  beforeAll(async () => {
    t = await freshStore('postgres');
    const db = await openDatabase(t.config);
    await migrate(db);
    staff = (await addUser(db, { name: 'desk', role: 'staff', jurisdiction: COUNTY })).token;
    auditor = (await addUser(db, { name: 'audit', role: 'auditor', jurisdiction: 'us/md' })).token;
    await db.close();
    env = { DATABASE_URL: t.config.databaseUrl!, TRUSTRULES_LOG_KEY_FILE: t.config.keyFile, TRUSTRULES_DATA_DIR: t.config.dataDir };
    // Started one after the other: the first creates the key, the second reads it.
    servers = [await startServerProcess(env)];
    servers.push(await startServerProcess(env));
  }, 240_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.kill9()));
    await t?.dispose();
  });

  it('append concurrently in one order without gap or duplicate, and every receipt verifies with Go, also after a restart', async () => {
    const receipts: (TlogReceipt & { id: string })[] = [];
    const clients = 16;
    const per = 12;
    const { calls } = await load(clients * 2, async (c, i) => {
      const server = servers[c % 2]!;
      const r = await request({ port: server.port, method: 'POST', path: '/v1/contacts', body: body(c * per + i), token: staff });
      expect(r.status, r.body).toBe(201);
      receipts.push(JSON.parse(r.body));
    }, { perClient: per });
    const n = clients * 2 * per;
    expect(calls).toBe(n);
    expect(receipts.map((r) => r.index).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    // Both processes wrote into one log: each answered some appends.
    const sizes = new Set(receipts.map((r) => Number(r.checkpoint.split('\n')[1])));
    expect(sizes.size).toBeGreaterThan(1);

    const listed = JSON.parse((await request({ port: servers[1]!.port, method: 'GET', path: '/v1/contacts', token: auditor })).body).records as { index: number; id: string }[];
    expect(listed.map((r) => r.index)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(new Set(listed.map((r) => r.id))).toEqual(new Set(receipts.map((r) => r.id)));

    const go = async (port: number) => (await runTlogcheck({ server: `http://127.0.0.1:${port}`, token: auditor, receipts: receipts.map((r) => ({ checkpoint: r.checkpoint, index: r.index, leaf_hash: r.leaf_hash, inclusion_proof: r.inclusion_proof })) })).output;
    const before = await go(servers[0]!.port);
    expect(before.errors).toEqual([]);
    expect(before.ok).toBe(true);
    expect(before.checked.receipts).toBe(n);

    await servers[0]!.kill9();
    servers[0] = await startServerProcess(env);
    const more = await request({ port: servers[0]!.port, method: 'POST', path: '/v1/contacts', body: body(1), token: staff });
    expect(more.status).toBe(201);
    expect(JSON.parse(more.body).index).toBe(n);
    const after = await go(servers[0]!.port);
    expect(after.errors).toEqual([]);
    expect(after.ok).toBe(true);
    expect(after.current_size).toBe(n + 1);

    // The whole log against every checkpoint handed out, the first receipt's included (the CLI's `log verify` does this).
    const db = await openDatabase(t.config);
    try {
      const verifier = NoteVerifier.parse(logSigner(t.config).verifierKey());
      expect(await verifyStoredLog(db, verifier, [receipts[0]!.checkpoint])).toMatchObject({ ok: true, records: n + 1 });
    } finally {
      await db.close();
    }
  }, 300_000);
});
