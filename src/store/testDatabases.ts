// For tests: fresh contact-store databases of both kinds. PostgreSQL comes from TRUSTRULES_TEST_DATABASE_URL (set by
// scripts/test.mjs), else a server on 127.0.0.1:5432; with neither, the PostgreSQL tests fail and say why.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase } from './database.js';
import { migrate, migrations } from './migrate.js';
import type { ContactStoreConfig } from './open.js';

/** The two databases every store suite runs on. */
export const databaseKinds = ['pglite', 'postgres'] as const;

/** The PostgreSQL server tests use: a URL of a database on it that may be connected to (not the one tests create). */
export function testServerUrl(): string {
  return process.env.TRUSTRULES_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
}

/** A throwaway store configuration and how to remove it. */
export interface TestStore {
  readonly config: ContactStoreConfig;
  readonly dir: string;
  dispose(): Promise<void>;
}

/**
 * A migrated, empty PGlite data directory to copy: PGlite's initdb takes seconds, a copy milliseconds. Keyed by the
 * migrations, so a changed migration makes a new template.
 */
async function pgliteTemplate(): Promise<string> {
  const key = createHash('sha256').update(migrations().map((m) => m.sql).join('\0')).digest('hex').slice(0, 16);
  const template = path.join(os.tmpdir(), `trustrules-pglite-template-${key}`);
  if (existsSync(template)) return template;
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'trustrules-pglite-scratch-'));
  const db = await openDatabase({ dataDir: scratch });
  await migrate(db);
  await db.close();
  try {
    renameSync(scratch, template);
  } catch {
    rmSync(scratch, { recursive: true, force: true }); // another test worker made it first
  }
  return template;
}

/** A copy of a closed store (its data folder and key; for PostgreSQL its database, as a template). */
export async function cloneStore(from: TestStore): Promise<TestStore> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'trustrules-store-'));
  const base = { dataDir: path.join(dir, 'data'), keyFile: path.join(dir, 'data', 'log.key') };
  cpSync(from.config.dataDir, base.dataDir, { recursive: true });
  if (!from.config.databaseUrl) return { config: base, dir, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
  const source = new URL(from.config.databaseUrl).pathname.slice(1);
  return createDatabase(base, dir, (name) => `CREATE DATABASE ${name} TEMPLATE ${source}`);
}

/** A fresh, empty store of `kind`: a new PGlite directory, or a new database on the test server. */
export async function freshStore(kind: (typeof databaseKinds)[number]): Promise<TestStore> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'trustrules-store-'));
  const base = { dataDir: path.join(dir, 'data'), keyFile: path.join(dir, 'data', 'log.key') };
  if (kind === 'pglite') {
    cpSync(await pgliteTemplate(), base.dataDir, { recursive: true });
    return { config: base, dir, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  return createDatabase(base, dir, (name) => `CREATE DATABASE ${name}`);
}

async function createDatabase(base: { dataDir: string; keyFile: string }, dir: string, create: (name: string) => string): Promise<TestStore> {
  const server = testServerUrl();
  const name = `trustrules_test_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ connectionString: server });
  try {
    await admin.connect();
  } catch (e) {
    throw new Error(`the PostgreSQL tests need a server: none answers at ${server} (${(e as Error).message}); set TRUSTRULES_TEST_DATABASE_URL or run npm test, which starts one`);
  }
  await admin.query(create(name));
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    config: { ...base, databaseUrl: url.toString() },
    dir,
    async dispose() {
      rmSync(dir, { recursive: true, force: true });
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
