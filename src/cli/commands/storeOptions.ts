// What the store's verbs (db, users, contacts, log) share: where the store is (--data / --data-dir ⇄
// TRUSTRULES_DATA_DIR, --database-url ⇄ DATABASE_URL, --log-key-file ⇄ TRUSTRULES_LOG_KEY_FILE) and opening it.
import { Command, Option } from 'commander';
import type { Database } from '../../store/database.js';
import type { ContactStoreConfig } from '../../store/open.js';
import { EXIT_FAILED } from '../../app/errors.js';
import { CliExit } from '../context.js';

/** The store flags as commander gives them. */
export interface StoreFlags {
  data?: string;
  dataDir?: string;
  databaseUrl?: string;
  logKeyFile?: string;
}

/** Adds the store's location flags to a command. */
export function addStoreOptions(command: Command): Command {
  return command
    .addOption(new Option('--data <dir>', 'the data folder of the embedded store (PGlite), default ./data').env('TRUSTRULES_DATA_DIR'))
    .addOption(new Option('--data-dir <dir>', 'the same as --data').hideHelp())
    .addOption(new Option('--database-url <url>', 'a PostgreSQL store instead of the data folder').env('DATABASE_URL'))
    .addOption(new Option('--log-key-file <file>', "the log's signing key (default: log.key in the data folder)").env('TRUSTRULES_LOG_KEY_FILE'));
}

/**
 * The store configuration from the flags (which already fall back to the environment). The store (and pg, PGlite)
 * load only when a store verb runs, not at every start of the command line.
 */
export async function storeConfig(flags: StoreFlags): Promise<ContactStoreConfig> {
  const { contactStoreConfigFromEnv } = await import('../../store/open.js');
  const dataDir = flags.data ?? flags.dataDir;
  return contactStoreConfigFromEnv({}, {
    ...(dataDir ? { dataDir } : {}),
    ...(flags.databaseUrl ? { databaseUrl: flags.databaseUrl } : {}),
    ...(flags.logKeyFile ? { keyFile: flags.logKeyFile } : {}),
  });
}

/** Opens (and migrates) the store's database for a command, runs `fn`, and closes it. */
export async function withDatabase<T>(flags: StoreFlags, fn: (db: Database, config: ContactStoreConfig) => Promise<T>): Promise<T> {
  const config = await storeConfig(flags);
  const [{ DataDirLockedError, openDatabase }, { migrate }] = await Promise.all([import('../../store/database.js'), import('../../store/migrate.js')]);
  let db: Database;
  try {
    db = await openDatabase(config);
  } catch (e) {
    const why = e instanceof DataDirLockedError ? `${e.message}` : (e as Error).message;
    throw new CliExit(EXIT_FAILED, why);
  }
  try {
    await migrate(db);
    return await fn(db, config);
  } finally {
    await db.close();
  }
}
