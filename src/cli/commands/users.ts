// `trustrules users add|list|revoke|passwd`: the accounts of the contact store. `add` prints the token once; only its
// hash is kept. A password for web sign-in is read from standard input only (never a flag: flags end up in shell history).
import { Command, Option } from 'commander';
import { addUser, listUsers, revokeUser, roles, type Role } from '../../store/users.js';
import type { setPassword } from '../../store/signIn.js';
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
    .option('--username <username>', 'the name it signs in to the web app with (with --password-stdin)')
    .option('--password-stdin', 'read a web sign-in password from standard input (staff, supervisor, auditor)')
    .option('--json', 'print the account and token as JSON')
    .action(async (opts: StoreFlags & { name: string; role: Role; jurisdiction: string; agency?: string; username?: string; passwordStdin?: boolean; json?: boolean }, cmd: Command) => {
      const corpus = corpusFor(globalOptions(cmd));
      if (!corpus.jurisdictions.has(opts.jurisdiction)) throw new CliExit(EXIT_BAD_INPUT, `--jurisdiction: unknown jurisdiction "${opts.jurisdiction}"; see trustrules jurisdictions`);
      const agencies = vocabulary().agencyIds;
      if (opts.agency !== undefined && !agencies.includes(opts.agency)) throw new CliExit(EXIT_BAD_INPUT, `--agency: not one of ${agencies.join(', ')}`);
      if (!opts.name.trim()) throw new CliExit(EXIT_BAD_INPUT, '--name: give a name');
      if (opts.passwordStdin && opts.username === undefined) throw new CliExit(EXIT_BAD_INPUT, '--username: give the name the account signs in with');
      if (opts.passwordStdin && opts.role === 'admin') throw new CliExit(EXIT_BAD_INPUT, '--password-stdin: admin accounts do not sign in on the web');
      const password = opts.passwordStdin ? await passwordFromStdin() : undefined;
      await withDatabase(opts, async (db) => {
        // One transaction: an account whose password is refused is not created either.
        const { user, token } = await db.transaction(async (tx) => {
          const added = await addUser(tx, { name: opts.name, role: opts.role, jurisdiction: opts.jurisdiction, agency: opts.agency ?? null });
          if (password !== undefined) await signInInput((set) => set(tx, added.user.id, password, opts.username));
          return added;
        });
        if (opts.json) process.stdout.write(`${JSON.stringify({ ...user, ...(opts.username ? { username: opts.username.trim().toLowerCase() } : {}), token })}\n`);
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

  addStoreOptions(users.command('passwd').description('set the web sign-in password of an account, read from standard input; ends its web sessions').argument('<user>', 'account id, exact name or username'))
    .option('--username <username>', 'set or change the name it signs in with')
    .action(async (who: string, opts: StoreFlags & { username?: string }) => {
      const password = await passwordFromStdin();
      await withDatabase(opts, async (db) => {
        const user = await signInInput((set) => set(db, who, password, opts.username));
        process.stdout.write(`password set for ${user.id} (${user.name}); signs in as ${user.username}\n`);
      });
    });
}

/** The password on standard input: everything up to its first line break (a pipe or a prompt's echo-less read). */
async function passwordFromStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('password (then Enter; Ctrl-D when piped): ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    if ((chunk as Buffer).includes(10)) break;
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  if (!line) throw new CliExit(EXIT_BAD_INPUT, 'standard input: give the password on standard input (e.g. printf %s "$PASSWORD" | trustrules users passwd …)');
  return line;
}

/**
 * Runs a password change with setPassword, loaded only then (with its argon2 native module: the other verbs start
 * without it); a refused username or password is a bad-input exit naming the flag.
 */
async function signInInput<T>(fn: (set: typeof setPassword) => Promise<T>): Promise<T> {
  const { setPassword: set, SignInInputError } = await import('../../store/signIn.js');
  try {
    return await fn(set);
  } catch (e) {
    if (!(e instanceof SignInInputError)) throw e;
    const flag = e.field === 'username' ? '--username' : e.field === 'password' ? 'standard input (password)' : '<user>';
    throw new CliExit(e.field === 'user' ? EXIT_FAILED : EXIT_BAD_INPUT, `${flag}: ${e.message}`);
  }
}
