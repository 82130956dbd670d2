// The HTTP API (contract section 4): one Fastify app whose routes are plugins, one per area (decide, policies,
// analysis, contacts, reports, practice, service), each given what it needs as options; how it refuses is refusals.ts,
// its OpenAPI document openapiDocs.ts. Validation is the scenario codec's, so a bad request always gets the contract's
// error object {"error": {path, given, allowed, message}} and never Fastify's own error format or a stack trace.
import http from 'node:http';
import https from 'node:https';
import Fastify, { LogController, type FastifyInstance, type FastifyServerFactory, type FastifyServerOptions } from 'fastify';
import { serviceConfig, type ServiceConfig } from '../app/config.js';
import { ContractError } from '../app/errors.js';
import { EnginePool } from '../app/pool.js';
import type { Corpus } from '../policy/corpus.js';
import { formatDiagnostic } from '../policy/diagnostics.js';
import { defaultPoliciesRoot, loadCorpus } from '../policy/load.js';
import { DEFAULT_SUPPRESSION_THRESHOLD } from '../store/report.js';
import type { OpenContactStore } from '../store/open.js';
import { analysisRoutes } from './analysisRoutes.js';
import { analysisRunnerFor, type AnalysisOptions } from './analysisRunner.js';
import { contactRoutes } from './contactRoutes.js';
import { decideFastPath, routeHooks, type DecideFastPath } from './decideFastPath.js';
import { decideRoutes } from './decideRoutes.js';
import { clientErrorHandler, frameworkErrors } from './errors.js';
import { logDestination, loggerOptions, observabilityRoutes, registerObservability, requestId, requestLogger, type LoggingOptions } from './observability.js';
import { registerOpenApi } from './openapiDocs.js';
import { policyRoutes } from './policyRoutes.js';
import { practiceRoutes } from './practiceRoutes.js';
import { registerRefusals, type NotFoundPage } from './refusals.js';
import { reportRoutes } from './reportRoutes.js';
import { registerSecurity } from './security.js';
import { serviceRoutes } from './serviceRoutes.js';

export { wantsPage, type NotFoundPage } from './refusals.js';

/** How the API is built: the corpus or its folder, a server-wide what-if, limits and the logger. */
export interface ServerOptions {
  /** An already loaded corpus; otherwise `policies` (default: the bundled corpus) is loaded. */
  corpus?: Corpus;
  policies?: string;
  /** Server-wide what-if; a request's `assume_in_force` / `assume_not_in_force` override it per instrument. */
  assumeInForce?: string[];
  assumeNotInForce?: string[];
  /** Fastify's pino logger options; default off. `service.logLevel` (with `logStream`), when given, wins. */
  logger?: boolean | object;
  /**
   * The service configuration (app/config.ts: limits, CORS, rate limits, timeouts, logging, metrics). What is not
   * given keeps its default, except that an embedded server (no `service` at all) has no rate limits and no log.
   */
  service?: Partial<ServiceConfig>;
  /** Where log lines go when `service.logLevel` turns logging on (default standard output). */
  logStream?: LoggingOptions['stream'];
  /** Largest request body in bytes (default 1 MiB); the batch endpoint allows `batchBodyLimit` (default 16 × this). */
  bodyLimit?: number;
  batchBodyLimit?: number;
  /** Most scenarios in one batch (default 10,000). */
  maxBatch?: number;
  /** The open contact store behind /v1/contacts and /v1/log (without one those routes answer 503). */
  contacts?: OpenContactStore;
  /**
   * Other surfaces served beside the API (the web app), each a Fastify plugin given what the API was built with.
   * The program's entry (src/main.ts) passes them: the server never imports the web app.
   */
  surfaces?: readonly Surface[];
  /** Public reports publish counts below this as "<N" (default 5; at least 3). */
  suppressionThreshold?: number;
  /** How /v1/analysis runs: worker threads (default one fewer than the cores), queue, bounds; see analysisRunner.ts. */
  analysis?: AnalysisOptions;
  /**
   * Whether POST /v1/decide is answered on the fast path (decideFastPath.ts; default true): the same answers, at about
   * half the CPU. Off, every request goes through Fastify's lifecycle (the fast path's differential test compares the two).
   */
  decideFastPath?: boolean;
  /**
   * TLS served by the process itself (Node's https options: key, cert, …); by default none, as a county's proxy
   * terminates TLS (docs/deploy.md). The decide fast path answers on the TLS server just the same.
   */
  https?: https.ServerOptions;
}

/** What a surface mounted beside the API is given: the same corpus, engines and contact store. */
export interface SurfaceContext {
  readonly corpus: Corpus;
  readonly engines: EnginePool;
  readonly contacts?: OpenContactStore;
  /** The public reports' suppression threshold (a Reports page must publish what the API does). */
  readonly suppressionThreshold: number;
  /**
   * A surface with pages gives here what answers a browser asking for an address nothing serves (outside /v1): its
   * "page not found" in the reader's language. Programs (no text/html in Accept) and /v1 keep the JSON error object.
   */
  readonly pageNotFound: (answer: NotFoundPage) => void;
}

/** A surface served beside the API: a Fastify plugin taking the API's context as its options. */
export type Surface = (app: FastifyInstance, context: SurfaceContext) => Promise<void>;

/** Largest request body by default: 1 MiB. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
/** Most scenarios in one batch by default. */
export const DEFAULT_MAX_BATCH = 10_000;


function corpusFrom(options: ServerOptions): { corpus: Corpus; warnings: string[] } {
  if (options.corpus) return { corpus: options.corpus, warnings: [] };
  const root = options.policies ?? defaultPoliciesRoot;
  // Opened lazily, as the CLI does: a jurisdiction's folder is compiled (or read from its cached part) when a question
  // first reaches it, and the policy tests when a route first reads them, so a national corpus answers in a second.
  const { corpus, diagnostics } = loadCorpus(root, { lazy: true });
  const warnings = diagnostics.filter((d) => d.severity === 'warning').map((d) => formatDiagnostic(d));
  if (!corpus) {
    const errors = diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d));
    throw new ContractError('bad_config', { path: 'policies', given: root, message: `cannot load the policies in ${root}:\n${errors.join('\n')}` });
  }
  return { corpus, warnings };
}

/** Node's default largest request line and headers (16 KiB); larger is a 431. */
const MAX_HEADER_SIZE = 16 * 1024;
/** Longest path parameter (an instrument or record id; jurisdiction ids are wildcards); longer is a 414. */
const MAX_PARAM_LENGTH = 200;


/** Builds the API (not listening). Throws a ContractError when the corpus cannot be loaded or the what-if is bad. */
export function buildServer(options: ServerOptions = {}): FastifyInstance {
  const { corpus, warnings } = corpusFrom(options);
  const engines = new EnginePool(corpus, { defaults: { assumeInForce: options.assumeInForce, assumeNotInForce: options.assumeNotInForce } });
  // An embedded server (tests, benchmarks, a library user) is quiet and unlimited unless told otherwise.
  const service: ServiceConfig = { ...serviceConfig({ 'rate-limit-address': '0', 'rate-limit-token': '0', 'log-level': 'off' }), ...options.service };
  const bodyLimit = options.bodyLimit ?? options.service?.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const batchBodyLimit = options.batchBodyLimit ?? 16 * bodyLimit;
  const maxBatch = options.maxBatch ?? options.service?.maxBatch ?? DEFAULT_MAX_BATCH;
  const jurisdictionIds = [...corpus.jurisdictions.keys()].sort();
  const suppressionThreshold = options.suppressionThreshold ?? DEFAULT_SUPPRESSION_THRESHOLD;
  // One stream for the service log and its request lines (see requestLogger).
  const logStream = service.logLevel === 'off' ? undefined : (options.logStream ?? logDestination());
  const logging: LoggingOptions = { level: service.logLevel, clientAddress: service.logClientAddress, ...(logStream ? { stream: logStream } : {}) };
  const requestLog = options.service?.logLevel !== undefined && logStream ? requestLogger({ ...logging, stream: logStream }) : undefined;

  // The fast path is made once the routes and hooks are known (below), and answers only while the server is open.
  let fastPath: DecideFastPath | undefined;
  const serverFactory: FastifyServerFactory = (handler, fastifyOptions) => {
    const o = fastifyOptions as { http?: http.ServerOptions; https?: https.ServerOptions | true; http2?: boolean; keepAliveTimeout: number; requestTimeout: number; connectionTimeout: number; maxRequestsPerSocket?: number | null };
    // HTTP/2 has other request and response objects than the fast path's: its options never reach here (below).
    if (o.http2) throw new Error('the decide fast path serves HTTP/1.1 only');
    const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
      if (fastPath === undefined || !fastPath(req, res, handler)) handler(req, res);
    };
    // The server Fastify would make itself with these options (its lib/server.js): TLS when given https options (and
    // then, as Fastify, without the http ones), else plain HTTP; the same timeouts on either.
    const server = o.https ? https.createServer(o.https === true ? {} : o.https, listener) : http.createServer(o.http ?? {}, listener);
    server.keepAliveTimeout = o.keepAliveTimeout;
    server.requestTimeout = o.requestTimeout;
    server.setTimeout(o.connectionTimeout);
    if (o.maxRequestsPerSocket && o.maxRequestsPerSocket > 0) server.maxRequestsPerSocket = o.maxRequestsPerSocket;
    return server;
  };
  const app = Fastify({
    ...(options.decideFastPath === false ? {} : { serverFactory }),
    logger: options.service?.logLevel !== undefined ? loggerOptions(logging) : (options.logger ?? false) as FastifyServerOptions['logger'],
    // One line per request, written by the observability hook (path without query, no address unless configured).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit,
    requestIdHeader: false,
    genReqId: requestId,
    return503OnClosing: true,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: frameworkErrors(MAX_PARAM_LENGTH),
    clientErrorHandler: clientErrorHandler(MAX_HEADER_SIZE),
    http: { maxHeaderSize: MAX_HEADER_SIZE },
    // The TLS server gets the same header limit: Fastify hands it only the https options (never the http ones).
    ...(options.https ? { https: { ...options.https, maxHeaderSize: MAX_HEADER_SIZE } } : {}),
    requestTimeout: service.requestTimeoutSeconds * 1000,
    keepAliveTimeout: service.keepAliveTimeoutSeconds * 1000,
    connectionTimeout: service.connectionTimeoutSeconds * 1000,
    ...(service.trustProxy.length ? { trustProxy: [...service.trustProxy] } : {}),
  });
  for (const w of warnings) app.log.warn(w);
  // Schemas document the API; the scenario codec and the handlers validate, so every refusal has the contract shape.
  app.setValidatorCompiler(() => (data) => ({ value: data }));
  // Responses are serialised by JSON.stringify, never by a schema that could silently drop a field.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  // JSON bodies only, every refusal the contract's error object, the answer to an address nothing serves.
  const refusals = registerRefusals(app, { corpus, bodyLimit, corsOrigins: service.corsOrigins });

  // Security headers and the request id (one hook), then the rate limits.
  const security = registerSecurity(app, service);
  // The analysis runner is made below; the gauge asks it only when the metrics are read.
  const metrics = registerObservability(app, { logging, requestLog, contacts: options.contacts, analysisThreads: () => analysis.threads });
  if (options.decideFastPath !== false) {
    // Only where it answers as the route would: no CORS headers to add, request lines in the shared log.
    if (!service.corsOrigins.length && metrics.sharedRequestLog) {
      let open = true;
      app.addHook('preClose', (done) => {
        open = false;
        done();
      });
      app.addHook('onReady', (done) => {
        // Only if the route's hooks are the ones whose work the fast path does (a plugin adding one turns it off).
        const expected = { onRequest: ['securityHeaders', ...(security.rateLimit ? ['rateLimits'] : [])], preParsing: ['encodedBodyRefused', 'replayedBody'], onSend: ['refusedBodyDrain'], onResponse: ['requestMetrics'] };
        const hooks = routeHooks(app, 'POST', '/v1/decide');
        if (JSON.stringify(hooks) === JSON.stringify(expected)) {
          fastPath = decideFastPath(app, { engines, bodyLimit, security, metrics, trustProxy: service.trustProxy }, () => open);
        } else {
          app.log.warn({ hooks, expected }, 'POST /v1/decide fast path off: the route has hooks it does not know');
        }
        done();
      });
    }
  }

  registerOpenApi(app, { engines, jurisdictionIds, metricsToken: service.metricsToken });

  // Analysis off the event loop: a decision never waits behind a table (analysisRunner.ts).
  const analysis = analysisRunnerFor({
    corpus, engines, defaults: { assumeInForce: options.assumeInForce, assumeNotInForce: options.assumeNotInForce },
    // The configured thread count (--analysis-threads), unless the embedding code chose its own.
    options: { ...(service.analysisThreads !== undefined ? { threads: service.analysisThreads } : {}), ...options.analysis },
    onDefect: (message) => app.log.error({ message }, 'analysis failed'),
  });
  app.addHook('onClose', async () => analysis.close());
  // Routes in a plugin registered after @fastify/swagger, so that it sees them.
  void app.register(async (api) => {
    void api.register(contactRoutes, { engine: engines.base, ...(options.contacts ? { contacts: options.contacts } : {}) });
    void api.register(reportRoutes, { corpus, threshold: suppressionThreshold, ...(options.contacts ? { contacts: options.contacts } : {}) });
    void api.register(analysisRoutes, { corpus, runner: analysis, ...(options.analysis ? { bounds: options.analysis } : {}), ...(options.contacts ? { contacts: options.contacts } : {}) });
    void api.register(practiceRoutes, { engine: () => engines.base });
    void api.register(decideRoutes, { engines, batchBodyLimit, maxBatch, decided: metrics.decided });
    void api.register(policyRoutes, { corpus });
    void api.register(serviceRoutes, { corpus, engines, openapi: () => app.swagger() });
    void api.register(observabilityRoutes, { metrics, contacts: options.contacts, metricsToken: service.metricsToken });
  });
  for (const surface of options.surfaces ?? []) {
    void app.register(surface, { corpus, engines, suppressionThreshold, pageNotFound: refusals.pageNotFound, ...(options.contacts ? { contacts: options.contacts } : {}) });
  }

  app.addHook('onListen', async () => {
    // Whether POST /v1/decide is answered on its fast path: an operator (and serve.test.ts) sees it is on.
    app.log.info({ policy_version: engines.base.policyVersion, instruments: corpus.instruments.size, docs: `${app.listeningOrigin}/docs`, decide_fast_path: fastPath !== undefined }, 'trustrules API ready');
  });

  return app;
}

