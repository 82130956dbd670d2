// Retention while the store stays open (PGlite and PostgreSQL): records that age past the configured days become
// tombstones at the next interval, not only when the store is opened; the log still verifies; runs stop at close.
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { decide } from '../app/presentation/decisions.js';
import { Engine } from '../engine/engine.js';
import { NoteVerifier } from '../log/index.js';
import { loadCorpus } from '../policy/load.js';
import type { NewContact } from './contacts.js';
import { contactStoreConfigFromEnv, logSigner, openContactStore, type OpenContactStore } from './open.js';
import { databaseKinds, freshStore, type TestStore } from './testDatabases.js';
import { addUser } from './users.js';
import { verifyStoredLog } from './verify.js';

const fixtures = fileURLToPath(new URL('../server/fixtures/policies', import.meta.url));
const engine = new Engine(loadCorpus(fixtures).corpus!);
const COUNTY = 'us/md/example-county';
const DAY = 86_400_000;

/** A contact that occurred `daysAgo` days before now. */
function contact(daysAgo: number): NewContact {
  const occurred = new Date(Date.now() - daysAgo * DAY);
  const scenario = { date: occurred.toISOString().slice(0, 10), actor: { jurisdiction: COUNTY, agency: 'police' }, request: 'grant_facility_access', basis: 'ice_detainer' };
  const decision = decide(engine, scenario);
  return { scenario, jurisdiction: COUNTY, agency: 'police', occurred_at: occurred.toISOString(), agent: 'ice_ero', action: 'declined', decision, deviation: false };
}

const until = async (what: () => Promise<boolean> | boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('retention configuration', () => {
  it('reads the interval from TRUSTRULES_RETENTION_INTERVAL_SECONDS and refuses one that is not a positive number', () => {
    expect(contactStoreConfigFromEnv({ TRUSTRULES_RETENTION_DAYS: '30', TRUSTRULES_RETENTION_INTERVAL_SECONDS: '600' })).toMatchObject({ retentionDays: 30, retentionIntervalSeconds: 600 });
    expect(() => contactStoreConfigFromEnv({ TRUSTRULES_RETENTION_INTERVAL_SECONDS: '0' })).toThrow(/TRUSTRULES_RETENTION_INTERVAL_SECONDS/);
    expect(() => contactStoreConfigFromEnv({ TRUSTRULES_RETENTION_INTERVAL_SECONDS: 'hourly' })).toThrow(/TRUSTRULES_RETENTION_INTERVAL_SECONDS/);
  });
});

describe.each(databaseKinds)('retention while open on %s', (kind) => {
  let t: TestStore | undefined;
  let open: OpenContactStore | undefined;
  afterEach(async () => {
    await open?.close();
    await t?.dispose();
    open = undefined;
    t = undefined;
  });

  it('tombstones a record that is past retention at the next interval, and the log still verifies', async () => {
    t = await freshStore(kind);
    open = await openContactStore({ ...t.config, retentionDays: 30, retentionIntervalSeconds: 0.1 });
    expect(open.retention).toMatchObject({ runs: 1, tombstoned: 0 });
    const { user } = await addUser(open.db, { name: 'desk', role: 'staff', jurisdiction: COUNTY });
    // Appended after the start-up run: only a later run can remove them.
    const old = await open.store.append(contact(45), user);
    const recent = await open.store.append(contact(2), user);
    await until(() => open!.retention!.tombstoned >= 1);
    const gone = await open.store.at(old.index);
    expect(gone?.record).toMatchObject({ id: old.id, index: old.index, tombstone: { reason: 'retention' } });
    expect((await open.store.at(recent.index))?.record).toMatchObject({ id: recent.id, scenario: { actor: { jurisdiction: COUNTY } } });
    const runs = open.retention!.runs;
    await until(() => open!.retention!.runs > runs + 1); // it keeps running, and finds nothing more
    expect(open.retention).toMatchObject({ tombstoned: 1, lastError: undefined });
    const verifier = NoteVerifier.parse(logSigner(t.config).verifierKey());
    expect(await verifyStoredLog(open.db, verifier)).toMatchObject({ ok: true, records: 2, tombstones: 1 });
  });

  it('runs only at start when the interval is long, and stops running once the store is closed', async () => {
    t = await freshStore(kind);
    const config = { ...t.config, retentionDays: 30, retentionIntervalSeconds: 3600 };
    open = await openContactStore(config);
    const { user } = await addUser(open.db, { name: 'desk', role: 'staff', jurisdiction: COUNTY });
    const old = await open.store.append(contact(45), user);
    await new Promise((r) => setTimeout(r, 300));
    expect(open.retention).toMatchObject({ runs: 1, tombstoned: 0 });
    const status = open.retention!;
    await open.close();
    open = undefined;
    expect(status.runs).toBe(1);
    // Opened again, the start-up run removes it.
    open = await openContactStore(config);
    expect(open.retention).toMatchObject({ runs: 1, tombstoned: 1 });
    expect((await open.store.at(old.index))?.record).toMatchObject({ tombstone: { reason: 'retention' } });
  });

  it('has no retention status when retention is off', async () => {
    t = await freshStore(kind);
    open = await openContactStore(t.config);
    expect(open.retention).toBeUndefined();
  });
});
