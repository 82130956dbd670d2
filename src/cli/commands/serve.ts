// `trustrules serve`: the HTTP API. The command line does not import the server (the two surfaces stay apart):
// the program's entry (src/main.ts) hands in the function that starts it.
import { Option, type Command } from 'commander';
import { serviceConfig, settings, type ServiceConfig } from '../../app/config.js';
import { ContractError } from '../../app/errors.js';
import type { WhatIf } from '../../app/pool.js';
import { example, globalOptions } from '../context.js';

/** Where the contact store is, from serve's flags (each falls back to its environment variable). */
export interface ServeStoreOptions {
  readonly dataDir?: string;
  readonly databaseUrl?: string;
  readonly keyFile?: string;
  readonly origin?: string;
  readonly retentionDays?: number;
}

/** What `serve` hands to the server. */
export interface ServeOptions extends WhatIf {
  readonly policies: string;
  readonly port: number;
  readonly host: string;
  /** Public reports publish counts below this as "<N" (TRUSTRULES_SUPPRESSION_THRESHOLD; default 5). */
  readonly suppressionThreshold?: number;
  /** Limits, CORS, rate limits, timeouts, logging and metrics (app/config.ts). */
  readonly service: ServiceConfig;
  readonly store: ServeStoreOptions;
}

/** The settings serve takes besides --port and --host: the store's and the service's (one flag and variable each). */
const serveSettings = settings.filter((s) => (s.scope === 'serve' || s.scope === 'store') && s.flag !== 'port' && s.flag !== 'host');

/** Commander's camelCase name of a flag. */
const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Starts the HTTP API and resolves once it listens; refusals are ContractErrors. */
export type Serve = (options: ServeOptions) => Promise<unknown>;

/** Registers `serve`, which runs `serve` (absent: the command says the server is not part of this program). */
export function registerServe(program: Command, serve?: Serve): void {
  const command = program
    .command('serve')
    .description('serve the HTTP API (and web pages) on $HOST:$PORT')
    .addOption(new Option('--port <n>', 'port').default('8080'))
    .addOption(new Option('--host <host>', 'address to listen on').default('127.0.0.1'));
  for (const s of serveSettings) command.addOption(new Option(`--${s.flag} <value>`, `${s.description}${s.default ? ` (default ${s.default})` : ''}`).env(s.env));
  command
    .addHelpText('after', example('trustrules serve --port 8080', 'PORT=9000 TRUSTRULES_ASSUME_IN_FORCE=howard-cb9-2017 trustrules serve', 'TRUSTRULES_LOG_LEVEL=warn TRUSTRULES_CORS_ORIGINS=https://county.example trustrules serve --trust-proxy 127.0.0.1'))
    .action(async (opts: Record<string, string | undefined> & { port: string; host: string }, cmd: Command) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new ContractError('bad_input', { path: 'port', given: opts.port, allowed: ['0-65535'], message: 'not a port number' });
      }
      if (!serve) throw new ContractError('bad_config', { path: 'serve', given: null, message: 'this program was built without the HTTP server' });
      const { policies, assumeInForce, assumeNotInForce } = globalOptions(cmd);
      const values = Object.fromEntries(serveSettings.map((s) => [s.flag, opts[camel(s.flag)]]));
      const service = serviceConfig(values);
      const retention = values['retention-days'];
      if (retention !== undefined && !(Number(retention) > 0)) {
        throw new ContractError('bad_config', { path: 'retention-days', given: retention, allowed: ['a number of days > 0'], message: '--retention-days (TRUSTRULES_RETENTION_DAYS) must be a number of days > 0' });
      }
      const store: ServeStoreOptions = {
        ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
        ...(values['database-url'] ? { databaseUrl: values['database-url'] } : {}),
        ...(values['log-key-file'] ? { keyFile: values['log-key-file'] } : {}),
        ...(values.origin ? { origin: values.origin } : {}),
        ...(retention !== undefined ? { retentionDays: Number(retention) } : {}),
      };
      // The threshold is the reports' to check (3 to 1000), from the flag or TRUSTRULES_SUPPRESSION_THRESHOLD.
      // Loaded here, not at start-up: the reports' modules are not every verb's to pay for.
      const { thresholdParam } = await import('../../store/reportParams.js');
      const threshold = values['suppression-threshold'] === undefined ? {} : { suppressionThreshold: thresholdParam('suppression-threshold', values['suppression-threshold']) };
      await serve({ policies, assumeInForce, assumeNotInForce, port, host: opts.host, service, store, ...threshold });
    });
}
