// `trustrules serve`: the HTTP API. The command line does not import the server (the two surfaces stay apart):
// the program's entry (src/main.ts) hands in the function that starts it.
import { Option, type Command } from 'commander';
import { ContractError } from '../../app/errors.js';
import type { WhatIf } from '../../app/pool.js';
import { thresholdParam } from '../../store/reportParams.js';
import { example, globalOptions } from '../context.js';

/** What `serve` hands to the server. */
export interface ServeOptions extends WhatIf {
  readonly policies: string;
  readonly port: number;
  readonly host: string;
  /** Public reports publish counts below this as "<N" (TRUSTRULES_SUPPRESSION_THRESHOLD; default 5). */
  readonly suppressionThreshold?: number;
}

/** Starts the HTTP API and resolves once it listens; refusals are ContractErrors. */
export type Serve = (options: ServeOptions) => Promise<unknown>;

/** Registers `serve`, which runs `serve` (absent: the command says the server is not part of this program). */
export function registerServe(program: Command, serve?: Serve): void {
  program
    .command('serve')
    .description('serve the HTTP API (and web pages) on $HOST:$PORT')
    .addOption(new Option('--port <n>', 'port').default('8080'))
    .addOption(new Option('--host <host>', 'address to listen on').default('127.0.0.1'))
    .addOption(new Option('--suppression-threshold <n>', 'public reports publish counts below this as "<n" (default 5, at least 3)'))
    .addHelpText('after', example('trustrules serve --port 8080', 'PORT=9000 TRUSTRULES_ASSUME_IN_FORCE=howard-cb9-2017 trustrules serve'))
    .action(async (opts: { port: string; host: string; suppressionThreshold?: string }, cmd: Command) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new ContractError('bad_input', { path: 'port', given: opts.port, allowed: ['0-65535'], message: 'not a port number' });
      }
      if (!serve) throw new ContractError('bad_config', { path: 'serve', given: null, message: 'this program was built without the HTTP server' });
      const { policies, assumeInForce, assumeNotInForce } = globalOptions(cmd);
      const threshold = opts.suppressionThreshold === undefined ? {} : { suppressionThreshold: thresholdParam('suppression-threshold', opts.suppressionThreshold) };
      await serve({ policies, assumeInForce, assumeNotInForce, port, host: opts.host, ...threshold });
    });
}
