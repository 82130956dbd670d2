// The HTTP API (contract section 4): one Fastify app whose routes are plugins, one per area (decide, policies,
// analysis, contacts, practice, service), each given what it needs as options. Request schemas come from the vocabulary (the scenario
// codec) and document the API; validation itself is the codec's, so a bad request always gets the contract's
// error object {"error": {path, given, allowed, message}} and never Fastify's own error format or a stack trace.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { today } from '../app/dates.js';
import { ContractError, contractErrorOf } from '../app/errors.js';
import { EnginePool } from '../app/pool.js';
import type { Corpus } from '../policy/corpus.js';
import { formatDiagnostic } from '../policy/diagnostics.js';
import { defaultPoliciesRoot, loadCorpus } from '../policy/load.js';
import type { InputError } from '../vocabulary/scenario.js';
import { nestingError } from '../vocabulary/nesting.js';
import { packageRoot } from '../vocabulary/vocabulary.js';
import { analysisRoutes } from './analysisRoutes.js';
import { analysisRunnerFor, type AnalysisOptions } from './analysisRunner.js';
import { decideRoutes } from './decideRoutes.js';
import { policyRoutes } from './policyRoutes.js';
import { serviceRoutes } from './serviceRoutes.js';
import { practiceRoutes } from './practiceRoutes.js';
import { contactRoutes } from './contactRoutes.js';
import { reportRoutes } from './reportRoutes.js';
import { DEFAULT_SUPPRESSION_THRESHOLD } from '../store/report.js';
import type { OpenContactStore } from '../store/open.js';
import { clientErrorHandler, excerpt, frameworkErrors } from './errors.js';
import { serviceConfig, type ServiceConfig } from '../app/config.js';
import { withCappedGiven } from '../app/errors.js';
import { pino } from 'pino';
import { loggerOptions, observabilityRoutes, registerObservability, requestId, requestLogger, type LoggingOptions } from './observability.js';
import { optionsAnswer, registerSecurity } from './security.js';
import { openApiOperation } from './openapi.js';
import {
  decisionSchema, errorSchema, healthSchema, instrumentSchema, jsonSchemaOf, jurisdictionDetailSchema, jurisdictionSchema, readinessSchema,
} from './schemas.js';

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

/** A surface's answer to a browser's request for an address nothing serves. */
export type NotFoundPage = (request: FastifyRequest, reply: FastifyReply) => FastifyReply | Promise<FastifyReply>;

/** Whether a request for an address nothing serves should get a surface's page: a browser's GET, outside the API. */
export function wantsPage(request: FastifyRequest): boolean {
  const url = request.url.split('?')[0]!;
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (url === '/v1' || url.startsWith('/v1/') || url === '/openapi.json' || url.startsWith('/docs')) return false;
  return /\btext\/html\b/i.test(String(request.headers.accept ?? ''));
}

/** A surface served beside the API: a Fastify plugin taking the API's context as its options. */
export type Surface = (app: FastifyInstance, context: SurfaceContext) => Promise<void>;

/** Largest request body by default: 1 MiB. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
/** Most scenarios in one batch by default. */
export const DEFAULT_MAX_BATCH = 10_000;


function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

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

function errorBody(error: InputError): { error: InputError } {
  return { error: withCappedGiven(error) };
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
  const logStream = service.logLevel === 'off' ? undefined : (options.logStream ?? pino.destination({ dest: 1, sync: false }));
  const logging: LoggingOptions = { level: service.logLevel, clientAddress: service.logClientAddress, ...(logStream ? { stream: logStream } : {}) };
  const requestLog = options.service?.logLevel !== undefined && logStream ? requestLogger({ ...logging, stream: logStream }) : undefined;

  const app = Fastify({
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
    requestTimeout: service.requestTimeoutSeconds * 1000,
    keepAliveTimeout: service.keepAliveTimeoutSeconds * 1000,
    connectionTimeout: service.connectionTimeoutSeconds * 1000,
    ...(service.trustProxy.length ? { trustProxy: [...service.trustProxy] } : {}),
  });
  for (const w of warnings) app.log.warn(w);
  // Every route registered from here on is listed in the 404 answer, so the list cannot fall behind.
  const endpoints: string[] = [];
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs/')) return;
    const url = route.url.replace(/:([a-z_]+)/g, '{$1}').replace(/\*$/, '{id}');
    for (const m of [route.method].flat()) if ((m === 'GET' || m === 'POST') && !endpoints.includes(`${m} ${url}`)) endpoints.push(`${m} ${url}`);
  });

  // Schemas document the API; the scenario codec and the handlers validate, so every refusal has the contract shape.
  app.setValidatorCompiler(() => (data) => ({ value: data }));
  // Responses are serialised by JSON.stringify, never by a schema that could silently drop a field.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  // Only JSON bodies; anything else is a 415 from the error handler. JSON errors are the contract's error object.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = body as string;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      done(new ContractError('bad_input', { path: '(body)', given: excerpt(text), allowed: ['JSON text (RFC 8259)'], message: `not valid JSON: ${(e as Error).message}` }), undefined);
      return;
    }
    // Bounded nesting before any handler (and its validators, serializers, logs) sees the value: see nesting.ts.
    const tooDeep = nestingError(value, '(body)');
    done(tooDeep ? new ContractError('bad_input', tooDeep) : null, tooDeep ? undefined : value);
  });

  // Security headers and the request id (one hook), then the rate limits.
  registerSecurity(app, service);
  // The analysis runner is made below; the gauge asks it only when the metrics are read.
  const metrics = registerObservability(app, { logging, requestLog, contacts: options.contacts, analysisThreads: () => analysis.threads });

  app.setErrorHandler((err: FastifyError, request, reply) => {
    const refusal = contractErrorOf(err, corpus);
    if (refusal) return reply.code(refusal.httpStatus).send(refusal.body());
    switch (err.code) {
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return reply.code(415).send(errorBody({
          path: '(content-type)', given: request.headers['content-type'] ?? null, allowed: ['application/json'],
          message: 'send the body as JSON, with Content-Type: application/json',
        }));
      case 'FST_ERR_CTP_BODY_TOO_LARGE': {
        const limit = request.routeOptions.bodyLimit ?? bodyLimit;
        return reply.code(413).send(errorBody({
          path: '(body)', given: request.headers['content-length'] ? Number(request.headers['content-length']) : null,
          allowed: [`at most ${limit} bytes`], message: `request body larger than ${limit} bytes`,
        }));
      }
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return reply.code(400).send(errorBody({ path: '(content-length)', given: request.headers['content-length'] ?? null, allowed: ['the length of the body in bytes'], message: 'Content-Length does not match the body' }));
    }
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status < 500) {
      request.log.info({ err }, 'request refused');
      return reply.code(status).send(errorBody({ path: '(request)', given: null, message: err.message }));
    }
    request.log.error({ err }, 'internal error');
    return reply.code(500).send(errorBody({ path: '(server)', given: null, message: `internal error (request id ${request.id}); see the server log` }));
  });

  // A surface's page for a browser that asks for an address nothing serves (set when the surfaces register).
  let notFoundPage: NotFoundPage | undefined;
  // Fuzzers and scanners mostly ask for what is not there: the address limit (an onRequest hook) counts those too.
  void app.after(() => app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0]!;
    const others = ['GET', 'POST'].filter((m) => m !== request.method && app.hasRoute({ url, method: m as 'GET' | 'POST' }));
    const options = optionsAnswer(request, reply, others.includes('GET') ? ['GET', 'HEAD', ...others.filter((m) => m !== 'GET')] : others, service.corsOrigins);
    if (options) return options;
    if (others.length) {
      return reply.code(405).header('allow', others.join(', ')).send(errorBody({
        path: '(method)', given: request.method, allowed: others, message: `${url} answers ${others.join(', ')}`,
      }));
    }
    if (notFoundPage && wantsPage(request)) return notFoundPage(request, reply);
    return reply.code(404).send(errorBody({ path: '(url)', given: `${request.method} ${url}`, allowed: endpoints, message: 'no such endpoint' }));
  }));

  // ---- OpenAPI
  const scenarioJsonSchema = (({ $schema: _, ...rest }) => rest)(engines.base.codec.jsonSchema());
  const example = {
    date: today(),
    actor: { jurisdiction: jurisdictionIds.find((j) => j === 'us/md/montgomery-county') ?? jurisdictionIds.find((j) => j.split('/').length === 3) ?? jurisdictionIds[0], agency: 'police' },
    request: 'detain_past_release',
    basis: 'ice_detainer',
  };
  app.addSchema({ $id: 'Scenario', ...scenarioJsonSchema, examples: [example] });
  app.addSchema({ $id: 'Decision', ...jsonSchemaOf(decisionSchema) });
  app.addSchema({ $id: 'Error', ...jsonSchemaOf(errorSchema) });
  app.addSchema({ $id: 'Jurisdiction', ...jsonSchemaOf(jurisdictionSchema) });
  app.addSchema({ $id: 'JurisdictionDetail', ...jsonSchemaOf(jurisdictionDetailSchema) });
  app.addSchema({ $id: 'Instrument', ...jsonSchemaOf(instrumentSchema) });
  app.addSchema({ $id: 'Health', ...jsonSchemaOf(healthSchema) });
  app.addSchema({ $id: 'Readiness', ...jsonSchemaOf(readinessSchema) });

  void app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'trustrules',
        version: packageVersion(),
        description:
          'May this public employee do this? Decisions on Maryland immigration-cooperation policies, with the governing clauses quoted. '
          + 'Bad input is answered with HTTP 400 and {"error": {"path", "given", "allowed", "message"}}.',
        license: { name: 'MIT', url: 'https://opensource.org/license/mit' },
      },
      servers: [{ url: '/', description: 'This server' }],
      tags: [
        { name: 'decide', description: 'Decide scenarios' },
        { name: 'policies', description: 'The jurisdictions and instruments behind the decisions' },
        { name: 'contacts', description: 'Contact records (tokens: Authorization: Bearer <token>)' },
        { name: 'log', description: 'The tamper-evident log of contact records: checkpoints, key, proofs' },
        { name: 'reports', description: 'Public, signed reports of contact records with small counts suppressed' },
        { name: 'meta', description: 'Service' },
      ],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'A token from trustrules users add' },
          ...(service.metricsToken ? { metricsToken: { type: 'http', scheme: 'bearer', description: 'The metrics token this server is configured with (--metrics-token)' } } : {}),
        },
      },
    },
    convertConstToEnum: false, // OpenAPI 3.1 has JSON Schema's const
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    // Jurisdiction ids contain slashes, so the route is a wildcard; document it as {id} (slashes may be sent as-is or as %2F).
    transform: ({ schema, url, route }) => {
      const documented = url === '/v1/jurisdictions/*'
        ? {
          schema: { ...schema, params: { type: 'object', properties: { id: { type: 'string', description: 'Jurisdiction id, e.g. us/md/montgomery-county' } }, required: ['id'] } },
          url: '/v1/jurisdictions/:id',
        }
        : { schema, url };
      // Every operation gets an operationId, its security (none unless the route names a scheme) and its 429.
      return { url: documented.url, schema: openApiOperation([route.method].flat()[0] ?? 'GET', documented.url, (documented.schema ?? {}) as Record<string, unknown>) };
    },
  });
  void app.register(fastifySwaggerUi, { routePrefix: '/docs' });

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
    const pageNotFound = (answer: NotFoundPage) => {
      notFoundPage = answer;
    };
    void app.register(surface, { corpus, engines, suppressionThreshold, pageNotFound, ...(options.contacts ? { contacts: options.contacts } : {}) });
  }

  app.addHook('onListen', async () => {
    app.log.info({ policy_version: engines.base.policyVersion, instruments: corpus.instruments.size, docs: `${app.listeningOrigin}/docs` }, 'trustrules API ready');
  });

  return app;
}

