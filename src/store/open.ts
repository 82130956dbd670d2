// Opening the contact store from configuration: the database (PGlite under the data directory, or PostgreSQL), its
// migrations, the log's signing key (generated on first start, owner-only, never logged) and the log's head.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { signCheckpoint } from '../log/index.js';
import { loadNoteSigner, loadOrCreateNoteSigner } from '../log/index.js';
import type { NoteSigner } from '../log/index.js';
import { ContactStore, type CheckpointSigner } from './contacts.js';
import { databaseConfigFromEnv, openDatabase, type Database, type DatabaseConfig } from './database.js';
import { migrate } from './migrate.js';

/** The log's origin (and key name) when none is configured. */
export const DEFAULT_LOG_ORIGIN = 'trustrules.local/contacts';

/** Where the store and its key live. */
export interface ContactStoreConfig extends DatabaseConfig {
  /** The signing key file (default: `log.key` in the data directory). */
  keyFile: string;
  /** The log's origin line; default: the key file's name, or DEFAULT_LOG_ORIGIN for a new key. */
  origin?: string;
  /** Retention: tombstone records that occurred more than this many days ago (off when unset). */
  retentionDays?: number;
  /** How often retention runs while the store is open, in seconds (default 3600); it also runs when the store opens. */
  retentionIntervalSeconds?: number;
}

/** How often retention runs while the store is open, when not configured: hourly. */
export const DEFAULT_RETENTION_INTERVAL_SECONDS = 3600;

/**
 * The configuration from the environment: `DATABASE_URL` or `TRUSTRULES_DATA_DIR` (default ./data),
 * `TRUSTRULES_LOG_KEY_FILE`, `TRUSTRULES_ORIGIN`, `TRUSTRULES_RETENTION_DAYS`, `TRUSTRULES_RETENTION_INTERVAL_SECONDS`;
 * `overrides` (flags) win.
 */
export function contactStoreConfigFromEnv(env: NodeJS.ProcessEnv = process.env, overrides: Partial<ContactStoreConfig> = {}): ContactStoreConfig {
  const db = databaseConfigFromEnv(env, overrides);
  const retention = overrides.retentionDays ?? (env.TRUSTRULES_RETENTION_DAYS ? Number(env.TRUSTRULES_RETENTION_DAYS) : undefined);
  if (retention !== undefined && (!Number.isFinite(retention) || retention <= 0)) throw new Error(`TRUSTRULES_RETENTION_DAYS must be a number of days > 0, not ${env.TRUSTRULES_RETENTION_DAYS}`);
  const interval = overrides.retentionIntervalSeconds ?? (env.TRUSTRULES_RETENTION_INTERVAL_SECONDS ? Number(env.TRUSTRULES_RETENTION_INTERVAL_SECONDS) : undefined);
  if (interval !== undefined && (!Number.isFinite(interval) || interval <= 0)) throw new Error(`TRUSTRULES_RETENTION_INTERVAL_SECONDS must be a number of seconds > 0, not ${env.TRUSTRULES_RETENTION_INTERVAL_SECONDS}`);
  const origin = overrides.origin ?? (env.TRUSTRULES_ORIGIN || undefined);
  return {
    ...db,
    keyFile: path.resolve(overrides.keyFile ?? (env.TRUSTRULES_LOG_KEY_FILE || path.join(db.dataDir, 'log.key'))),
    ...(origin ? { origin } : {}),
    ...(retention !== undefined ? { retentionDays: retention } : {}),
    ...(interval !== undefined ? { retentionIntervalSeconds: interval } : {}),
  };
}

/** Adapts the log's note signer to what the store signs: checkpoints of its origin. */
export function checkpointSigner(signer: NoteSigner): CheckpointSigner {
  return {
    origin: signer.name,
    verifierKey: signer.verifierKey(),
    sign: (size, root) => signCheckpoint({ origin: signer.name, size, root }, signer),
    signNote: (text) => signer.sign(text),
  };
}

/** The log's key: the configured file, created on first use. */
export function logSigner(config: Pick<ContactStoreConfig, 'keyFile' | 'origin'>): NoteSigner {
  if (!config.origin && existsSync(config.keyFile)) return loadNoteSigner(config.keyFile);
  return loadOrCreateNoteSigner(config.keyFile, config.origin ?? DEFAULT_LOG_ORIGIN).signer;
}

/** An open store: the records and log over `db`. */
export interface OpenContactStore {
  readonly store: ContactStore;
  readonly db: Database;
  /** What retention last did while the store was open (undefined when retention is off). */
  readonly retention: RetentionStatus | undefined;
  /** Stops retention, waits for queued appends, then closes the database (and releases PGlite's directory lock). */
  close(): Promise<void>;
}

/** Retention's runs so far: how many, when the last ended, how many records it tombstoned in all, its last error. */
export interface RetentionStatus {
  runs: number;
  tombstoned: number;
  lastRunAt: string | undefined;
  lastError: string | undefined;
}

/** Opens the database, applies migrations, loads (or creates) the key and the log's head. */
export async function openContactStore(config: ContactStoreConfig): Promise<OpenContactStore> {
  const signer = logSigner(config);
  const db = await openDatabase(config);
  try {
    await migrate(db);
    const store = new ContactStore(db, checkpointSigner(signer));
    await store.init();
    const retention = config.retentionDays === undefined ? undefined : retain(store, config.retentionDays, config.retentionIntervalSeconds ?? DEFAULT_RETENTION_INTERVAL_SECONDS);
    if (retention) await retention.run();
    return {
      store, db,
      retention: retention?.status,
      async close() {
        await retention?.stop();
        await store.drain();
        await db.close();
      },
    };
  } catch (e) {
    await db.close().catch(() => undefined);
    throw e;
  }
}

/**
 * Retention while the store is open: records that occurred more than `days` ago become tombstones at start and every
 * `intervalSeconds` after, so a server that runs for months keeps no record longer than configured. Runs never overlap;
 * a failed run (the database away) is kept in the status and tried again at the next interval.
 */
function retain(store: ContactStore, days: number, intervalSeconds: number) {
  const status: RetentionStatus = { runs: 0, tombstoned: 0, lastRunAt: undefined, lastError: undefined };
  let running: Promise<void> | undefined;
  const run = (): Promise<void> => (running ??= (async () => {
    try {
      status.tombstoned += await store.tombstoneBefore(new Date(Date.now() - days * 86_400_000));
      status.lastError = undefined;
    } catch (e) {
      status.lastError = (e as Error).message;
    } finally {
      status.runs++;
      status.lastRunAt = new Date().toISOString();
      running = undefined;
    }
  })());
  let timer: NodeJS.Timeout | undefined;
  return {
    status,
    async run() {
      await run();
      if (status.lastError !== undefined && status.runs === 1) throw new Error(`retention: ${status.lastError}`);
      timer = setInterval(() => void run(), intervalSeconds * 1000);
      timer.unref(); // retention never keeps a process alive on its own
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
