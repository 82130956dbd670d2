// `trustrules users add|list|revoke`: the accounts of the contact store. `add` prints the token once; only its hash is kept.
import { Command, Option } from 'commander';
import { addUser, listUsers, revokeUser, roles, type Role } from '../../store/users.js';
import { vocabulary } from '../../vocabulary/vocabulary.js';
import { EXIT_BAD_INPUT, EXIT_FAILED } from '../../app/errors.js';
import { CliExit, corpusFor, example, globalOptions } from '../context.js';
import { addStoreOptions, withDatabase, type StoreFlags } from './storeOptions.js';

/** Registers `users add`, `users list` and `users revoke`. */
export function registerUsers(program: Command): void {
  const users = program.command('users').description('accounts and tokens of the contact store (contract section 7)')
    .addHelpText('after', example('trustrules users add --name "Records desk" --role staff --jurisdiction us/md/howard-county', 'trustrules users list --json'));

  addStoreOptions(users.command('add').description('create an account and print its token (shown once, stored hashed)'))
    .requiredOption('--name <name>', 'who the account is for (a person or a desk)')
    .addOption(new Option('--role <role>', 'what it may do').choices(roles).makeOptionMandatory())
    .requiredOption('--jurisdiction <id>', 'its scope: this jurisdiction and those below it')
    .option('--agency <agency>', 'only this kind of agency (staff of one department)')
    .option('--json', 'print the account and token as JSON')
    .action(async (opts: StoreFlags & { name: string; role: Role; jurisdiction: string; agency?: string; json?: boolean }, cmd: Command) => {
      const corpus = corpusFor(globalOptions(cmd));
      if (!corpus.jurisdictions.has(opts.jurisdiction)) throw new CliExit(EXIT_BAD_INPUT, `--jurisdiction: unknown jurisdiction "${opts.jurisdiction}"; see trustrules jurisdictions`);
      const agencies = vocabulary().agencyIds;
      if (opts.agency !== undefined && !agencies.includes(opts.agency)) throw new CliExit(EXIT_BAD_INPUT, `--agency: not one of ${agencies.join(', ')}`);
      if (!opts.name.trim()) throw new CliExit(EXIT_BAD_INPUT, '--name: give a name');
      await withDatabase(opts, async (db) => {
        const { user, token } = await addUser(db, { name: opts.name, role: opts.role, jurisdiction: opts.jurisdiction, agency: opts.agency ?? null });
        if (opts.json) process.stdout.write(`${JSON.stringify({ ...user, token })}\n`);
        else {
          process.stderr.write(`created ${user.id} (${user.role} for ${user.jurisdiction}${user.agency ? `, ${user.agency}` : ''}); the token is shown only now:\n`);
          process.stdout.write(`${token}\n`);
        }
      });
    });

  addStoreOptions(users.command('list').description('every account (never a token)'))
    .option('--json', 'JSON output')
    .action(async (opts: StoreFlags & { json?: boolean }) => {
      await withDatabase(opts, async (db) => {
        const list = await listUsers(db);
        if (opts.json) return void process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        for (const u of list) {
          process.stdout.write(`${u.id.padEnd(16)} ${u.role.padEnd(10)} ${u.jurisdiction.padEnd(40)} ${(u.agency ?? '-').padEnd(12)} ${u.revoked_at ? `revoked ${u.revoked_at}` : 'active'}  ${u.name}\n`);
        }
      });
    });

  addStoreOptions(users.command('revoke').description('revoke an account: its token stops working at once').argument('<user>', 'account id or exact name'))
    .action(async (who: string, opts: StoreFlags) => {
      await withDatabase(opts, async (db) => {
        const revoked = await revokeUser(db, who);
        if (!revoked.length) throw new CliExit(EXIT_FAILED, `no active account "${who}"`);
        for (const u of revoked) process.stdout.write(`revoked ${u.id} (${u.name})\n`);
      });
    });
}
