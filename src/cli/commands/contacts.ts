// `trustrules contacts export --from --to --csv`: an auditor's export of contact records in scope, itself recorded
// in the access log. Works on PGlite with the server stopped, or on DATABASE_URL.
import { Command, Option } from 'commander';
import { z } from 'zod';
import { EXIT_BAD_INPUT, EXIT_FAILED } from '../../app/errors.js';
import { CliExit, example } from '../context.js';
import { addStoreOptions, withDatabase, type StoreFlags } from './storeOptions.js';

const dateOrTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/** Registers `contacts export`. */
export function registerContacts(program: Command): void {
  const contacts = program.command('contacts').description('contact records (contract section 7)')
    .addHelpText('after', example('TRUSTRULES_TOKEN=… trustrules contacts export --from 2026-01-01 --to 2026-03-31 --csv > q1.csv'));
  addStoreOptions(contacts.command('export').description('export the records in an auditor token\'s scope that occurred between two dates'))
    .addOption(new Option('--token <token>', 'an auditor token (from trustrules users add)').env('TRUSTRULES_TOKEN').makeOptionMandatory())
    .requiredOption('--from <date>', 'from this date (YYYY-MM-DD) or date-time')
    .requiredOption('--to <date>', 'up to this date (inclusive) or date-time (exclusive)')
    .option('--jurisdiction <id>', 'only this jurisdiction and those below it (default: the token\'s)')
    .option('--csv', 'CSV (default: JSON lines)')
    .action(async (opts: StoreFlags & { token: string; from: string; to: string; jurisdiction?: string; csv?: boolean }) => {
      for (const name of ['from', 'to'] as const) {
        if (!dateOrTime.safeParse(opts[name]).success) throw new CliExit(EXIT_BAD_INPUT, `--${name}: not a date (YYYY-MM-DD) or date-time: ${opts[name]}`);
      }
      const [{ recordAccess }, { ContactStore }, { checkpointSigner, logSigner }, { contactJson, contactsCsv }, { userForToken, withinJurisdiction }] = await Promise.all([
        import('../../store/accessLog.js'), import('../../store/contacts.js'), import('../../store/open.js'), import('../../store/contactViews.js'), import('../../store/users.js'),
      ]);
      await withDatabase(opts, async (db, config) => {
        const user = await userForToken(db, opts.token);
        if (!user) throw new CliExit(EXIT_FAILED, 'unknown or revoked token');
        if (user.role !== 'auditor') throw new CliExit(EXIT_FAILED, `exports need an auditor token, not ${user.role}`);
        const jurisdiction = opts.jurisdiction ?? user.jurisdiction;
        if (!withinJurisdiction(user.jurisdiction, jurisdiction)) throw new CliExit(EXIT_FAILED, `this token may not read records of ${jurisdiction}`);
        const store = new ContactStore(db, checkpointSigner(logSigner(config)));
        const list = await store.list({ jurisdiction, from: opts.from, to: opts.to, ...(user.agency ? { agency: user.agency } : {}) });
        await recordAccess(db, { userId: user.id, action: 'export', query: { jurisdiction, from: opts.from, to: opts.to }, results: list.length });
        if (opts.csv) process.stdout.write(contactsCsv(list));
        else for (const c of list) process.stdout.write(`${JSON.stringify(contactJson(c))}\n`);
        process.stderr.write(`${list.length} records\n`);
      });
    });
}
