// `trustrules log verify`: recomputes the contact log from the stored records and checks it against every signed
// checkpoint (and any the user kept): exit 0 when all match, 1 naming the first record altered, removed or reordered.
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { collect } from '../../app/params.js';
import { EXIT_BAD_INPUT, EXIT_FAILED } from '../../app/errors.js';
import type { NoteVerifier } from '../../log/index.js';
import { CliExit, example } from '../context.js';
import { addStoreOptions, withDatabase, type StoreFlags } from './storeOptions.js';

/** Registers `log verify`. */
export function registerLog(program: Command): void {
  const log = program.command('log').description('the tamper-evident log of contact records')
    .addHelpText('after', example('trustrules log verify'));
  addStoreOptions(log.command('verify').description('recompute the log from the stored records and check every signed checkpoint'))
    .addOption(new Option('--checkpoint <file>', 'also check a signed checkpoint kept elsewhere (a receipt\'s), one per file; repeatable').argParser(collect).default([]))
    .option('--key <verifier-key>', 'the log\'s verifier key (default: from the key file)')
    .option('--json', 'JSON output')
    .action(async (opts: StoreFlags & { checkpoint: string[]; key?: string; json?: boolean }) => {
      const extra: string[] = [];
      for (const f of opts.checkpoint) {
        try {
          extra.push(readFileSync(f, 'utf8'));
        } catch (e) {
          throw new CliExit(EXIT_BAD_INPUT, `--checkpoint: cannot read ${f}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
        }
      }
      const [{ NoteVerifier: Verifier }, { verifyAccessLog }, { logSigner }, { verifyStoredLog }] = await Promise.all([
        import('../../log/index.js'), import('../../store/accessLog.js'), import('../../store/open.js'), import('../../store/verify.js'),
      ]);
      await withDatabase(opts, async (db, config) => {
        let verifier: NoteVerifier;
        try {
          verifier = Verifier.parse(opts.key ?? logSigner(config).verifierKey());
        } catch (e) {
          throw new CliExit(EXIT_BAD_INPUT, `--key: ${(e as Error).message}`);
        }
        const result = await verifyStoredLog(db, verifier, extra);
        const access = await verifyAccessLog(db);
        if (opts.json) process.stdout.write(`${JSON.stringify({ ...result, access_log: access })}\n`);
        if (!result.ok) throw new CliExit(EXIT_FAILED, `first bad record: index ${result.index}: ${result.problem}`);
        if (!access.ok) throw new CliExit(EXIT_FAILED, `access log: entry ${access.seq}: ${access.problem}`);
        if (!opts.json) {
          process.stdout.write(`ok: ${result.records} records (${result.tombstones} deleted by retention), ${result.checkpoints} signed checkpoints, root ${result.root}; access log ${access.entries} entries\n`);
        }
      });
    });
}
