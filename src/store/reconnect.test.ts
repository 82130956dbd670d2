// When PostgreSQL drops the store's connections (a restart, a failover, an administrator), the request in flight is
// refused as the contract's `unavailable` (503, retry), never an internal error, and the next one reconnects by
// itself. The backends are really terminated (pg_terminate_backend) on the test server; bench/faults/pg-restart.mjs
// restarts a whole cluster under load.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractError } from '../app/errors.js';
import { openDatabase, unavailableOr, type Database } from './database.js';
import { freshStore, type TestStore } from './testDatabases.js';

describe('the store reconnects on postgres', () => {
  let t: TestStore;
  let db: Database;
  let admin: pg.Client;
  const terminate = async () => {
    const name = new URL(t.config.databaseUrl!).pathname.slice(1);
    const killed = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
    return killed.rowCount ?? 0;
  };

  beforeAll(async () => {
    t = await freshStore('postgres');
    db = await openDatabase(t.config);
    admin = new pg.Client({ connectionString: t.config.databaseUrl });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await db?.close();
    await t?.dispose();
  });

  it('refuses the query on a terminated connection as unavailable (503), then answers the next one', async () => {
    // Hold a connection in a transaction, terminate it mid-way: the transaction fails as unavailable.
    const failed = db.transaction(async (tx) => {
      await tx.query('SELECT 1');
      expect(await terminate()).toBeGreaterThan(0);
      await tx.query('SELECT 2');
    });
    const e = await failed.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ContractError);
    expect((e as ContractError).code).toBe('unavailable');
    expect((e as ContractError).httpStatus).toBe(503);
    expect((e as ContractError).error).toMatchObject({ path: '(database)', given: null, allowed: ['retry in a few seconds'] });
    // The broken connection was dropped: the pool opens a new one.
    expect(await db.query('SELECT 41 + 1 AS n')).toEqual([{ n: 42 }]);
    // Idle connections terminated under the pool: the next query may fail once as unavailable, then it works.
    await terminate();
    await new Promise((r) => setTimeout(r, 100));
    const next = await db.query('SELECT 1 AS n').catch((x: unknown) => x);
    if (!Array.isArray(next)) expect((next as ContractError).code).toBe('unavailable');
    expect(await db.query('SELECT 1 AS n')).toEqual([{ n: 1 }]);
  });

  it('leaves other database errors as they are', () => {
    const syntax = Object.assign(new Error('syntax error at or near "SELEC"'), { code: '42601' });
    expect(unavailableOr(syntax)).toBe(syntax);
    for (const code of ['57P01', '08006', 'ECONNREFUSED', '57P03']) expect(unavailableOr(Object.assign(new Error('x'), { code }))).toBeInstanceOf(ContractError);
  });
});
