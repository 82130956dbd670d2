// The store's SQL migrations: files `migrations/NNN_name.sql`, applied in order, once each, on PGlite and PostgreSQL.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Database } from './database.js';

/** The migrations directory: src/store/migrations of this package, also when running compiled (SQL is not compiled). */
const migrationsDir = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return path.join(dir, 'src', 'store', 'migrations');
})();

/** One migration file. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Every migration file, in version order. */
export function migrations(dir = migrationsDir): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f.slice(4, -4), sql: readFileSync(path.join(dir, f), 'utf8') }));
}

// Any fixed 64-bit number: the advisory lock that keeps two processes from migrating the same database at once.
const MIGRATION_LOCK = 727_110_008;

/** Applies the migrations not yet applied; returns the versions applied now. Safe to run from several processes. */
export async function migrate(db: Database): Promise<number[]> {
  return db.transaction(async (tx) => {
    if (db.kind === 'postgres') await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = new Set((await tx.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
    const applied: number[] = [];
    for (const m of migrations()) {
      if (done.has(m.version)) continue;
      for (const statement of splitStatements(m.sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}

/** Splits a migration into statements (extended-protocol queries take one each); the files use no `;` in literals. */
function splitStatements(sql: string): string[] {
  return sql
    .split('\n')
    .map((line) => line.replace(/--.*$/, ''))
    .join('\n')
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The migrations not yet applied to `db`, as `NNN_name` (empty when it is current): what /readyz reports. */
export async function pendingMigrations(db: Database): Promise<string[]> {
  let done: Set<number>;
  try {
    done = new Set((await db.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
  } catch {
    done = new Set();
  }
  return migrations().filter((m) => !done.has(m.version)).map((m) => `${String(m.version).padStart(3, '0')}_${m.name}`);
}
