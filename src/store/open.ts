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
}

/**
 * The configuration from the environment: `DATABASE_URL` or `TRUSTRULES_DATA_DIR` (default ./data),
 * `TRUSTRULES_LOG_KEY_FILE`, `TRUSTRULES_ORIGIN`, `TRUSTRULES_RETENTION_DAYS`; `overrides` (flags) win.
 */
export function contactStoreConfigFromEnv(env: NodeJS.ProcessEnv = process.env, overrides: Partial<ContactStoreConfig> = {}): ContactStoreConfig {
  const db = databaseConfigFromEnv(env, overrides);
  const retention = overrides.retentionDays ?? (env.TRUSTRULES_RETENTION_DAYS ? Number(env.TRUSTRULES_RETENTION_DAYS) : undefined);
  if (retention !== undefined && (!Number.isFinite(retention) || retention <= 0)) throw new Error(`TRUSTRULES_RETENTION_DAYS must be a number of days > 0, not ${env.TRUSTRULES_RETENTION_DAYS}`);
  const origin = overrides.origin ?? (env.TRUSTRULES_ORIGIN || undefined);
  return {
    ...db,
    keyFile: path.resolve(overrides.keyFile ?? (env.TRUSTRULES_LOG_KEY_FILE || path.join(db.dataDir, 'log.key'))),
    ...(origin ? { origin } : {}),
    ...(retention !== undefined ? { retentionDays: retention } : {}),
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
  /** Waits for queued appends, then closes the database (and releases PGlite's directory lock). */
  close(): Promise<void>;
}

/** Opens the database, applies migrations, loads (or creates) the key and the log's head. */
export async function openContactStore(config: ContactStoreConfig): Promise<OpenContactStore> {
  const signer = logSigner(config);
  const db = await openDatabase(config);
  try {
    await migrate(db);
    const store = new ContactStore(db, checkpointSigner(signer));
    await store.init();
    if (config.retentionDays !== undefined) await store.tombstoneBefore(new Date(Date.now() - config.retentionDays * 86_400_000));
    return {
      store, db,
      async close() {
        await store.drain();
        await db.close();
      },
    };
  } catch (e) {
    await db.close().catch(() => undefined);
    throw e;
  }
}
