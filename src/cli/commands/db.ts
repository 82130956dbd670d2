// `trustrules db migrate`: applies the contact store's SQL migrations to PGlite (server stopped) or DATABASE_URL.
import { Command } from 'commander';
import { EXIT_FAILED } from '../../app/errors.js';
import { CliExit, example } from '../context.js';
import { addStoreOptions, storeConfig, type StoreFlags } from './storeOptions.js';

/** Registers `db migrate`. */
export function registerDb(program: Command): void {
  const db = program.command('db').description('the contact store\'s database')
    .addHelpText('after', example('trustrules db migrate', 'TRUSTRULES_DATA_DIR=/var/lib/trustrules trustrules db migrate'));
  addStoreOptions(db.command('migrate').description('apply the SQL migrations not yet applied (also done at every start)'))
    .action(async (flags: StoreFlags) => {
      const config = await storeConfig(flags);
      const [{ openDatabase }, { migrate }] = await Promise.all([import('../../store/database.js'), import('../../store/migrate.js')]);
      const database = await openDatabase(config).catch((e: Error) => {
        throw new CliExit(EXIT_FAILED, e.message);
      });
      try {
        const applied = await migrate(database);
        process.stdout.write(`${database.location}: ${applied.length ? `applied migration ${applied.join(', ')}` : 'up to date'}\n`);
      } finally {
        await database.close();
      }
    });
}
