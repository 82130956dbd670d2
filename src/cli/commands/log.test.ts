// `trustrules log verify` on a real store (PGlite and PostgreSQL): a clean log verifies; every tamper (one byte of a
// record changed, a record deleted, two swapped, the table truncated, a column edited, a checkpoint forged) exits 1
// naming the first bad index, and so does the built package with its rows checked in worker threads; retention
// tombstones still verify. On the same filled store, the other store verbs
// (users, contacts export, db migrate) and the PGlite directory lock, all run in process as a person types them.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decide } from '../../app/presentation/decisions.js';
import { Engine } from '../../engine/engine.js';
import { NoteSigner, NoteVerifier } from '../../log/index.js';
import { signCheckpoint } from '../../log/index.js';
import { decodeHash } from '../../log/index.js';
import { loadCorpus } from '../../policy/load.js';
import { cliInProcess as cli, storePolicies } from '../fixtures/inProcess.js';
import type { NewContact, Receipt } from '../../store/contacts.js';
import { isDeviation } from '../../store/contactInput.js';
import { logSigner, openContactStore, type OpenContactStore } from '../../store/open.js';
import { cloneStore, databaseKinds, freshStore, type TestStore } from '../../store/testDatabases.js';
import { ensureBuilt, repoRoot } from '../../store/testServers.js';
import { addUser, type User } from '../../store/users.js';
import { verifyStoredLog } from '../../store/verify.js';

const engine = new Engine(loadCorpus(storePolicies).corpus!);
const COUNTY = 'us/md/example-county';

function contact(i: number): NewContact {
  const scenario = { date: '2026-03-10', actor: { jurisdiction: COUNTY, agency: 'police' }, request: 'grant_facility_access', basis: i % 2 ? 'court_order' : 'ice_detainer' };
  const decision = decide(engine, scenario);
  const action = i % 3 ? 'declined' : 'complied';
  return {
    scenario, jurisdiction: COUNTY, agency: 'police', occurred_at: `2026-03-10T${String(8 + (i % 10)).padStart(2, '0')}:00:00-05:00`,
    agent: 'ice_ero', action, decision, deviation: isDeviation(decision.outcome, action),
  };
}


/** The built package's store/verify.js (dist/, rebuilt when stale), whose rows are checked in worker threads. */
let built: typeof import('../../store/verify.js');
beforeAll(async () => {
  ensureBuilt();
  built = (await import(pathToFileURL(path.join(repoRoot, 'dist/store/verify.js')).href)) as typeof import('../../store/verify.js');
}, 600_000);

describe.each(databaseKinds)('log verify on %s', (kind) => {
  let golden: TestStore;
  let t: TestStore;
  let where: string[];
  const receipts: Receipt[] = [];
  const N = 40;

  /** Fills a store with N records in several batches and closes it (the server is stopped); each test tampers with a copy. */
  beforeAll(async () => {
    golden = await freshStore(kind);
    const open = await openContactStore(golden.config);
    const { user } = await addUser(open.db, { name: 'clerk', role: 'staff', jurisdiction: COUNTY });
    for (let b = 0; b < 4; b++) receipts.push(...(await Promise.all(Array.from({ length: N / 4 }, (_, i) => open.store.append(contact(b * 10 + i), user)))));
    await open.close();
  });
  beforeEach(async () => {
    t = await cloneStore(golden);
    where = t.config.databaseUrl ? ['--database-url', t.config.databaseUrl, '--log-key-file', t.config.keyFile] : ['--data', t.config.dataDir];
  });
  afterAll(async () => golden?.dispose());

  const withDb = async <T>(fn: (o: OpenContactStore) => Promise<T>): Promise<T> => {
    const o = await openContactStore(t.config);
    try {
      return await fn(o);
    } finally {
      await o.close();
    }
  };
  const verifyCli = async (extra: string[] = []) => cli(['log', 'verify', ...where, ...extra]);
  /** The CLI (the sources: rows checked in this thread), then the built package with its rows checked in two threads. */
  const expectBad = async (index: number) => {
    const r = await verifyCli();
    expect(r.code, r.out + r.err).toBe(1);
    expect(r.err).toContain(`index ${index}:`);
    const threaded = await withDb((o) => built.verifyStoredLog(o.db, NoteVerifier.parse(o.store.signer.verifierKey), [], 7, 2));
    expect(threaded, 'in worker threads').toMatchObject({ ok: false, index });
    expect(r.err).toContain(`index ${index}: ${(threaded as { problem: string }).problem}`);
    await t.dispose();
  };

  it('a clean log verifies, receipts included', async () => {
    const file = path.join(t.dir, 'receipt.checkpoint');
    writeFileSync(file, receipts[5]!.checkpoint);
    const r = await verifyCli(['--checkpoint', file]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(new RegExp(`^ok: ${N} records`));
    expect(new Set(receipts.map((x) => x.index))).toEqual(new Set(Array.from({ length: N }, (_, i) => i)));
    await t.dispose();
  });

  it('names a record with one byte changed', async () => {
    await withDb((o) => o.db.query("UPDATE contact_records SET content = replace(content, '\"declined\"', '\"declinee\"') WHERE idx = 17"));
    await expectBad(17);
  });

  it('names a deleted record', async () => {
    await withDb((o) => o.db.query('DELETE FROM contact_records WHERE idx = 23'));
    await expectBad(23);
  });

  it('names the first of two swapped records', async () => {
    await withDb(async (o) => {
      await o.db.query('UPDATE contact_records SET idx = -1 WHERE idx = 12').catch(() => undefined);
      // idx has CHECK (idx >= 0): swap through a large free index instead
      await o.db.query('UPDATE contact_records SET idx = 1000000 WHERE idx = 12');
      await o.db.query('UPDATE contact_records SET idx = 12 WHERE idx = 31');
      await o.db.query('UPDATE contact_records SET idx = 31 WHERE idx = 1000000');
    });
    await expectBad(12);
  });

  it('names record 0 when the table is truncated', async () => {
    await withDb((o) => o.db.query('TRUNCATE contact_records'));
    await expectBad(0);
  });

  it('names the first record missing when the tail is cut', async () => {
    await withDb((o) => o.db.query('DELETE FROM contact_records WHERE idx >= 35'));
    await expectBad(35);
  });

  it('names a record whose leaf hash and content were both rewritten, by the signed checkpoints', async () => {
    await withDb(async (o) => {
      const [row] = await o.db.query<{ content: string }>('SELECT content FROM contact_records WHERE idx = 6');
      const content = row!.content.replace('"ice_ero"', '"cbp"');
      const { leafHash } = await import('../../log/hash.js');
      await o.db.query('UPDATE contact_records SET content = $1, leaf_hash = $2 WHERE idx = 6', [content, leafHash(Buffer.from(content))]);
    });
    await expectBad(6);
  });

  it('locates a record whose content, leaf hash and stored leaf node were all rewritten, by the signed checkpoints', async () => {
    await withDb(async (o) => {
      const [row] = await o.db.query<{ content: string }>('SELECT content FROM contact_records WHERE idx = 16');
      const content = row!.content.replace('"ice_ero"', '"cbp"');
      const { leafHash } = await import('../../log/index.js');
      const h = leafHash(Buffer.from(content));
      await o.db.query('UPDATE contact_records SET content = $1, leaf_hash = $2 WHERE idx = 16', [content, h]);
      await o.db.query('UPDATE log_nodes SET hash = $1 WHERE level = 0 AND idx = 16', [h]);
    });
    const r = await verifyCli(['--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out) as { index: number };
    // Located to the batch (one checkpoint each) holding it: after the last checkpoint that still matches.
    expect(j.index).toBeLessThanOrEqual(16);
    expect(j.index).toBeGreaterThan(16 - N / 4);
    await t.dispose();
  });

  it('names a record whose query column was edited', async () => {
    await withDb((o) => o.db.query("UPDATE contact_records SET jurisdiction = 'us/md' WHERE idx = 9"));
    await expectBad(9);
  });

  it('refuses checkpoints signed by another key, and a kept checkpoint the log cannot reach', async () => {
    const other = NoteSigner.generate(logSigner(t.config).name);
    const forged = path.join(t.dir, 'forged');
    writeFileSync(forged, signCheckpoint({ origin: other.name, size: 3, root: decodeHash(receipts[0]!.leaf_hash) }, other));
    expect((await verifyCli(['--checkpoint', forged])).code).toBe(1);
    const real = logSigner(t.config);
    const ahead = path.join(t.dir, 'ahead');
    writeFileSync(ahead, signCheckpoint({ origin: real.name, size: N + 5, root: decodeHash(receipts[0]!.leaf_hash) }, real));
    const r = await verifyCli(['--checkpoint', ahead]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`index ${N}:`);
    await t.dispose();
  });

  it('retention tombstones keep the leaf: the log still verifies, the content is gone', async () => {
    await withDb(async (o) => {
      expect(await o.store.tombstoneBefore(new Date('2026-03-10T12:00:00-05:00'))).toBeGreaterThan(0);
      const gone = await o.store.at(0);
      expect(gone!.record).toMatchObject({ index: 0, tombstone: { reason: 'retention' } });
      expect('scenario' in gone!.record).toBe(false);
      const verifier = NoteVerifier.parse(o.store.signer.verifierKey);
      expect(await verifyStoredLog(o.db, verifier)).toMatchObject({ ok: true, records: N });
      const threaded = await built.verifyStoredLog(o.db, verifier, [], 7, 2);
      expect(threaded, 'in worker threads').toMatchObject({ ok: true, records: N });
      expect(threaded).toEqual(await verifyStoredLog(o.db, verifier, [], 7, 0));
    });
    expect((await verifyCli()).code).toBe(0);
    await t.dispose();
  });

  it('appends onto a head stored without its right edge (a log from before migration 002), and still verifies', async () => {
    await withDb(async (o) => {
      await o.db.query("UPDATE log_head SET edge = '{}'");
      const { user } = await addUser(o.db, { name: 'late', role: 'staff', jurisdiction: COUNTY });
      const r = await o.store.append(contact(1), user);
      expect(r.index).toBe(N);
      const [head] = await o.db.query<{ n: number }>('SELECT cardinality(edge) AS n FROM log_head');
      expect(Number(head!.n)).toBeGreaterThan(0);
    });
    expect((await verifyCli()).code).toBe(0);
    await t.dispose();
  });

  it('users add/list/revoke, contacts export (auditor only) and db migrate', async () => {
    const add = await cli(['users', 'add', ...where, '--name', 'Audit Desk', '--role', 'auditor', '--jurisdiction', 'us/md']);
    expect(add.code, add.err).toBe(0);
    const token = add.out.trim();
    expect(token).toMatch(/^trt_[A-Za-z0-9_-]{43}$/);
    const list = await cli(['users', 'list', ...where, '--json']);
    const users = JSON.parse(list.out) as User[];
    expect(users.map((u) => u.name)).toEqual(['clerk', 'Audit Desk']);
    expect(list.out).not.toContain(token);
    const csv = await cli(['contacts', 'export', ...where, '--token', token, '--from', '2026-03-10', '--to', '2026-03-10', '--csv']);
    expect(csv.code, csv.err).toBe(0);
    expect(csv.out.trim().split('\n')).toHaveLength(N + 1);
    const staffToken = (await cli(['users', 'add', ...where, '--name', 'clerk2', '--role', 'staff', '--jurisdiction', COUNTY])).out.trim();
    expect((await cli(['contacts', 'export', ...where, '--token', staffToken, '--from', '2026-03-10', '--to', '2026-03-10', '--csv'])).code).toBe(1);
    expect((await cli(['users', 'revoke', ...where, 'Audit Desk'])).code).toBe(0);
    expect((await cli(['contacts', 'export', ...where, '--token', token, '--from', '2026-03-10', '--to', '2026-03-10'])).code).toBe(1);
    expect((await cli(['users', 'add', ...where, '--name', 'x', '--role', 'boss', '--jurisdiction', 'us/md'])).code).toBe(2);
    expect((await cli(['users', 'add', ...where, '--name', 'x', '--role', 'staff', '--jurisdiction', 'us/nowhere'])).code).toBe(2);
    const migrate = await cli(['db', 'migrate', ...where]);
    expect(migrate.code).toBe(0);
    expect(migrate.out).toContain('up to date');
    // the export and both failed attempts' successful reads are in the access log, which still verifies
    const v = await verifyCli(['--json']);
    expect(JSON.parse(v.out).access_log).toMatchObject({ ok: true, entries: 1 });
    await t.dispose();
  });
});

describe('the PGlite data directory', () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await freshStore('pglite');
  });
  afterAll(async () => t.dispose());

  it('is locked against a second opener while the store is open', async () => {
    const open = await openContactStore(t.config);
    await expect(openContactStore(t.config)).rejects.toThrow(/in use by process/);
    const r = await cli(['users', 'list', '--data', t.config.dataDir]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('in use by process');
    await open.close();
    expect((await cli(['users', 'list', '--data', t.config.dataDir])).code).toBe(0);
  });
});
