// The command line's verbs: one file each under commands/, registered here by one line each.
import { Command, type Option } from 'commander';
import { envName } from '../app/config.js';
import { registerCheck } from './commands/check.js';
import { registerContacts } from './commands/contacts.js';
import { registerDb } from './commands/db.js';
import { registerLog } from './commands/log.js';
import { registerUsers } from './commands/users.js';
import { registerCoverage } from './commands/coverage.js';
import { registerDecide } from './commands/decide.js';
import { registerDiff } from './commands/diff.js';
import { registerExplain } from './commands/explain.js';
import { registerFmt } from './commands/fmt.js';
import { registerGaps } from './commands/gaps.js';
import { registerInstruments } from './commands/instruments.js';
import { registerJurisdictions } from './commands/jurisdictions.js';
import { registerReplay } from './commands/replay.js';
import { registerReport } from './commands/report.js';
import { registerSchema } from './commands/schema.js';
import { registerServe, type Serve } from './commands/serve.js';
import { registerTable } from './commands/table.js';
import { registerTest } from './commands/test.js';
import { registerTimeline } from './commands/timeline.js';
import { addGlobalOptions } from './context.js';

/** A verb: adds one command to the program. */
export type Verb = (program: Command) => void;

/** Every verb, in the order `--help` lists them. To add one: write commands/<verb>.ts and add a line here. */
export const verbs: readonly Verb[] = [
  registerDecide,
  registerExplain,
  registerJurisdictions,
  registerInstruments,
  registerTest,
  registerCheck,
  registerFmt,
  registerSchema,
  registerTable,
  registerDiff,
  registerGaps,
  registerTimeline,
  registerCoverage,
  registerReplay,
  registerUsers,
  registerContacts,
  registerLog,
  registerReport,
  registerDb,
];

/** What the program is built with from outside the command line (the server, which the CLI may not import). */
export interface ProgramParts {
  readonly serve?: Serve;
}

/**
 * A command whose every option also reads its environment variable (`--at` ⇄ `TRUSTRULES_AT`) unless it names one:
 * commander listens for an option's variable only if it is set when the option is added, so it is set here.
 */
class EnvironmentCommand extends Command {
  override createCommand(name?: string): Command {
    return new EnvironmentCommand(name);
  }

  override addOption(option: Option): this {
    if (!option.envVar && option.long && option.long !== '--help' && option.long !== '--version') option.env(envName(option.long));
    return super.addOption(option);
  }
}

/** The `trustrules` program. */
export function buildProgram(parts: ProgramParts = {}): Command {
  const program = addGlobalOptions(new EnvironmentCommand('trustrules'))
    .description('Community-trust policies as executable, explainable law: may I, must I, must I not?')
    .showHelpAfterError()
    .exitOverride()
    .addHelpText('after', '\nEvery flag can also be set in the environment: --policies ⇄ TRUSTRULES_POLICIES, --at ⇄ TRUSTRULES_AT,\n--port ⇄ PORT (lists comma-separated). A flag on the command line wins.\n\nExample:\n  trustrules explain docs/seeds/baltimore-county-2017-detainer-hold.json\n  trustrules instruments --jurisdiction us/md/howard-county --inherited');
  for (const verb of verbs) verb(program);
  registerServe(program, parts.serve);
  for (const command of program.commands) command.exitOverride();
  return program;
}
