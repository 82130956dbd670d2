// verifyStoredLog reads the log in chunks, the next ones while the current is checked (PGlite and PostgreSQL): a log
// spread over many chunks verifies, a record altered in a later chunk is named, and a problem that ends the walk early
// leaves no read behind to fail; each both with the rows checked in this thread (the sources) and in two worker
// threads (the built package, dist/, rebuilt when stale). The CLI's tamper tests are in cli/commands/log.test.ts.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide } from '../app/presentation/decisions.js';
import { Engine } from '../engine/engine.js';
import { NoteVerifier } from '../log/index.js';
import { loadCorpus } from '../policy/load.js';
import { logSigner, openContactStore, type OpenContactStore } from './open.js';
import { databaseKinds, freshStore, type TestStore } from './testDatabases.js';
import { ensureBuilt, repoRoot } from './testServers.js';
import { addUser } from './users.js';
import { verifyStoredLog as inThisThread } from './verify.js';

const fixtures = fileURLToPath(new URL('../server/fixtures/policies', import.meta.url));
const engine = new Engine(loadCorpus(fixtures).corpus!);
const COUNTY = 'us/md/example-county';
const N = 25;

type Verify = typeof inThisThread;
let built: typeof import('./verify.js');
beforeAll(async () => {
  ensureBuilt(); // dist/, rebuilt when stale
  built = (await import(pathToFileURL(path.join(repoRoot, 'dist/store/verify.js')).href)) as typeof import('./verify.js');
}, 600_000);
/** The built package's verifyStoredLog with its rows checked in two worker threads. */
const inThreads: Verify = (sql, verifier, extra, chunk) => built.verifyStoredLog(sql, verifier, extra, chunk, 2);
const ways = databaseKinds.flatMap((kind) => [[kind, 'this thread', inThisThread], [kind, 'two worker threads', inThreads]] as const);

describe.each(ways)('verifyStoredLog in chunks on %s, rows checked in %s', (kind, _where, verifyStoredLog) => {
  let t: TestStore;
  let open: OpenContactStore;
  let verifier: NoteVerifier;
  beforeAll(async () => {
    t = await freshStore(kind);
    open = await openContactStore(t.config);
    verifier = NoteVerifier.parse(logSigner(t.config).verifierKey());
    const { user } = await addUser(open.db, { name: 'clerk', role: 'staff', jurisdiction: COUNTY });
    const scenario = { date: '2026-03-10', actor: { jurisdiction: COUNTY, agency: 'police' }, request: 'grant_facility_access', basis: 'ice_detainer' };
    const decision = decide(engine, scenario);
    for (let i = 0; i < N; i++) {
      await open.store.append({ scenario, jurisdiction: COUNTY, agency: 'police', occurred_at: '2026-03-10T10:00:00-05:00', agent: 'ice_ero', action: 'declined', decision, deviation: false }, user);
    }
  });
  afterAll(async () => {
    await open?.close();
    await t?.dispose();
  });

  it('verifies the same read 4, 5 or all at a time', async () => {
    for (const chunk of [4, 5, 1000]) expect(await verifyStoredLog(open.db, verifier, [], chunk)).toMatchObject({ ok: true, records: N });
  });

  it('names a record missing inside a chunk, a whole chunk missing, and a record past the signed size (inside a transaction)', async () => {
    const within = async (tamper: string) => {
      let found: unknown;
      await open.db.transaction(async (tx) => {
        await tx.query(tamper);
        found = await verifyStoredLog(tx, verifier, [], 4);
        throw new Error('roll back');
      }).catch((e: Error) => {
        if (e.message !== 'roll back') throw e;
      });
      return found;
    };
    expect(await within('DELETE FROM contact_records WHERE idx = 9')).toMatchObject({ ok: false, index: 9 });
    expect(await within('DELETE FROM contact_records WHERE idx BETWEEN 8 AND 11')).toMatchObject({ ok: false, index: 8 });
    expect(await within(`INSERT INTO contact_records (idx, id, content, leaf_hash, jurisdiction, agency, occurred_at, recorded_at, recorded_by, deviation, occurred_on)
      SELECT 40, 'extra', content, leaf_hash, jurisdiction, agency, occurred_at, recorded_at, recorded_by, deviation, occurred_on FROM contact_records WHERE idx = 3`))
      .toMatchObject({ ok: false, index: 40, problem: expect.stringMatching(/not covered by any signed checkpoint/) });
    // and nothing of that stayed
    expect(await verifyStoredLog(open.db, verifier, [], 4)).toMatchObject({ ok: true, records: N });
  });

  it('names a record whose any one query or report column no longer matches its content (each column, and NULL)', async () => {
    // The verifier compares the columns with the record without parsing it (recordFields.ts): a change to any one of
    // them must still be named, at its index, whichever column it is.
    const tampers: Record<string, string[]> = {
      id: ["'tampered-id'"],
      jurisdiction: ["'us/md/other-county'"],
      agency: ["'sheriff'"],
      occurred_at: ["occurred_at + interval '1 second'"],
      recorded_by: ["'someone-else'"],
      deviation: ['NOT deviation'],
      corrects: ["'r-1'"],
      occurred_on: ["occurred_on + 1"],
      request: ["'inquire_status'", 'NULL'],
      basis: ["'none'", 'NULL'],
      agent: ["'other'", 'NULL'],
      action: ["'complied'", 'NULL'],
      outcome: ["'required'", 'NULL'],
    };
    for (const [column, values] of Object.entries(tampers)) {
      for (const value of values) {
        let found: unknown;
        await open.db.transaction(async (tx) => {
          await tx.query(`UPDATE contact_records SET ${column} = ${value} WHERE idx = 13`);
          found = await verifyStoredLog(tx, verifier, [], 4);
          throw new Error('roll back');
        }).catch((e: Error) => {
          if (e.message !== 'roll back') throw e;
        });
        expect(found, `${column} = ${value}`).toMatchObject({ ok: false, index: 13, problem: expect.stringMatching(/column.* does not match|columns do not match/) });
      }
    }
    expect(await verifyStoredLog(open.db, verifier, [], 4)).toMatchObject({ ok: true, records: N });
  });

  it('names a record altered in a later chunk, and a problem found early leaves no failing read behind', async () => {
    await open.db.query("UPDATE contact_records SET content = replace(content, '\"declined\"', '\"declinee\"') WHERE idx = 22");
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      expect(await verifyStoredLog(open.db, verifier, [], 4)).toMatchObject({ ok: false, index: 22 });
      await open.db.query("UPDATE contact_records SET content = 'not json' WHERE idx = 1");
      expect(await verifyStoredLog(open.db, verifier, [], 4)).toMatchObject({ ok: false, index: 1 });
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
  });
});

describe('where the rows are checked', () => {
  it('in worker threads from the built package, by default; in this thread from the sources', async () => {
    const threads = (await import(pathToFileURL(path.join(repoRoot, 'dist/store/verifyThreads.js')).href)) as typeof import('./verifyThreads.js');
    const checker = threads.chunkChecker();
    try {
      expect(checker.threads).toBeGreaterThanOrEqual(1);
      await expect(checker.check(new Uint8Array(64))).rejects.toThrow(/binary COPY: the bytes do not start with its signature/);
    } finally {
      await checker.close();
    }
    expect((await import('./verifyThreads.js')).chunkChecker().threads).toBe(0);
  });
});
