// Starting the HTTP API: build it, listen, and close cleanly on SIGINT/SIGTERM.
import type { FastifyInstance } from 'fastify';
import { serviceConfig, settingValuesFromEnv } from '../app/config.js';
import { ContractError } from '../app/errors.js';
import { contactStoreConfigFromEnv, openContactStore, type ContactStoreConfig } from '../store/open.js';
import { thresholdFromEnv } from '../store/reportParams.js';
import { buildServer, type ServerOptions } from './app.js';

/** Where to listen, besides what the API is built with. */
export interface StartOptions extends ServerOptions {
  port: number;
  host: string;
  /** Where the contact store is (flags); what is not given comes from the environment, then the defaults. */
  store?: Partial<ContactStoreConfig>;
}

/**
 * Builds the API, listens, and closes cleanly on SIGINT/SIGTERM. Runs as configured by `service`, else by the
 * environment (rate limits on, JSON log at info); `logger: false` turns the log off.
 */
export async function startServer(options: StartOptions): Promise<FastifyInstance> {
  // The contact store starts with the server: PGlite under ./data unless DATABASE_URL or TRUSTRULES_DATA_DIR say otherwise.
  const config = contactStoreConfigFromEnv(process.env, options.store ?? {});
  const service = { ...serviceConfig(settingValuesFromEnv()), ...options.service, ...(options.logger === false ? { logLevel: 'off' as const } : {}) };
  const contacts = options.contacts ?? await openContactStore(config).catch((e: Error) => {
    throw new ContractError('unavailable', {
      path: config.databaseUrl ? 'database-url' : 'data-dir', given: config.databaseUrl ? '(DATABASE_URL)' : config.dataDir, message: `cannot open the contact store: ${e.message}`,
    });
  });
  let app: FastifyInstance;
  try {
    app = buildServer({ ...options, service, contacts, suppressionThreshold: options.suppressionThreshold ?? thresholdFromEnv() });
  } catch (e) {
    if (!options.contacts) await contacts.close();
    throw e;
  }
  if (!options.contacts) app.addHook('onClose', async () => contacts.close());
  const shutdown = (signal: NodeJS.Signals) => {
    app.log.info({ signal }, 'shutting down');
    app.close().then(
      () => app.log.info('closed'),
      (err: unknown) => {
        app.log.error({ err }, 'error while closing');
        process.exitCode = 1;
      },
    );
  };
  app.addHook('onClose', async () => {
    process.off('SIGINT', shutdown);
    process.off('SIGTERM', shutdown);
  });
  try {
    await app.listen({ port: options.port, host: options.host });
  } catch (e) {
    await app.close().catch(() => undefined);
    throw new ContractError('unavailable', { path: 'port', given: `${options.host}:${options.port}`, message: `cannot listen: ${(e as Error).message}` });
  }
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  return app;
}
