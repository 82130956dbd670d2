// `trustrules fmt`: policy files in their normal form (key order, layout), comments kept.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { EXIT_BAD_INPUT, EXIT_FAILED } from '../../app/errors.js';
import { formatPolicyText, policyFileKind } from '../../policy/format.js';
import { policyFilePaths } from '../../policy/policyTree.js';
import { vocabulary } from '../../vocabulary/vocabulary.js';
import { CliExit, example, globalOptions, print, readInput } from '../context.js';

/** Registers `fmt`. */
export function registerFmt(program: Command): void {
  program
    .command('fmt')
    .description('normalise policy files (key order, layout); comments are kept')
    .argument('[files...]', 'files to format (default: every policy file)')
    .option('--check', 'only report files that are not formatted (exit 1)')
    .addHelpText('after', example('trustrules fmt --check', 'trustrules fmt policies/us/md/howard-county/howard-cb63-2020.yaml'))
    .action((files: string[], opts: { check?: boolean }, cmd: Command) => {
      const targets = files.length ? files : policyFilePaths(globalOptions(cmd).policies);
      const changed: string[] = [];
      const factOrder = vocabulary().facts.map((f) => f.id);
      for (const file of targets) {
        const text = readInput(file);
        let formatted: string;
        try {
          formatted = formatPolicyText(text, policyFileKind(file), factOrder);
        } catch (e) {
          throw new CliExit(EXIT_BAD_INPUT, `${file}: ${(e as Error).message}`);
        }
        if (formatted === text) continue;
        changed.push(file);
        if (!opts.check) writeFileSync(file, formatted);
      }
      if (changed.length) print(changed.map((f) => `${opts.check ? 'not formatted' : 'formatted'}: ${path.relative(process.cwd(), f)}`).join('\n'));
      if (opts.check && changed.length) throw new CliExit(EXIT_FAILED);
    });
}
