// The HTTP API (contract section 4): decide one scenario or a batch, list jurisdictions and instruments, the
// OpenAPI document and its docs page, and a health check. Request schemas come from the vocabulary (the scenario
// codec) and document the API; validation itself is the codec's, so a bad request always gets the contract's
// error object {"error": {path, given, allowed, message}} and never Fastify's own error format or a stack trace.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { z } from 'zod';
import { dateParam, today } from '../app/dates.js';
import { ContractError, contractErrorOf, unknownJurisdiction } from '../app/errors.js';
import { jurisdictionParam, knownQuery, listValues, singleValue } from '../app/params.js';
import { API_WHAT_IF, EnginePool } from '../app/pool.js';
import type { Engine } from '../engine/engine.js';
import type { Corpus } from '../policy/corpus.js';
import { formatDiagnostic } from '../policy/diagnostics.js';
import { instrumentJson, jurisdictionJson, sortedInstruments, sortedJurisdictions } from '../policy/listing.js';
import { defaultPoliciesRoot, loadCorpus } from '../policy/load.js';
import { ScenarioError, type InputError, type Scenario } from '../vocabulary/scenario.js';
import { packageRoot } from '../vocabulary/vocabulary.js';
import { decisionBytes, encodeDecision } from '../app/presentation/decisions.js';
import { requestLanguage } from '../app/config.js';
import { languages } from '../app/presentation/catalog.js';
import { analysisRoutes } from './analysisRoutes.js';
import { practiceRoutes } from './practiceRoutes.js';
import { contactRoutes } from './contactRoutes.js';
import type { OpenContactStore } from '../store/open.js';
import { excerpt } from './errors.js';
import {
  decisionSchema, errorSchema, healthSchema, instrumentSchema, jsonSchemaOf, jurisdictionDetailSchema, jurisdictionSchema,
} from './schemas.js';

/** How the API is built: the corpus or its folder, a server-wide what-if, limits and the logger. */
export interface ServerOptions {
  /** An already loaded corpus; otherwise `policies` (default: the bundled corpus) is loaded. */
  corpus?: Corpus;
  policies?: string;
  /** Server-wide what-if; a request's `assume_in_force` / `assume_not_in_force` override it per instrument. */
  assumeInForce?: string[];
  assumeNotInForce?: string[];
  /** Fastify's pino logger options; default off. */
  logger?: boolean | object;
  /** Largest request body in bytes (default 1 MiB); the batch endpoint allows `batchBodyLimit` (default 16 × this). */
  bodyLimit?: number;
  batchBodyLimit?: number;
  /** Most scenarios in one batch (default 10,000). */
  maxBatch?: number;
  /** The open contact store behind /v1/contacts and /v1/log (without one those routes answer 503). */
  contacts?: OpenContactStore;
}

/** Largest request body by default: 1 MiB. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
/** Most scenarios in one batch by default. */
export const DEFAULT_MAX_BATCH = 10_000;

const JSON_TYPE = 'application/json; charset=utf-8';
const [OPEN_BRACKET, COMMA, CLOSE_BRACKET] = ['[', ',', ']'].map((c) => Buffer.from(c)) as [Buffer, Buffer, Buffer];

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
  const { corpus, diagnostics } = loadCorpus(root, { tests: true });
  const warnings = diagnostics.filter((d) => d.severity === 'warning').map((d) => formatDiagnostic(d));
  if (!corpus) {
    const errors = diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d));
    throw new ContractError('bad_config', { path: 'policies', given: root, message: `cannot load the policies in ${root}:\n${errors.join('\n')}` });
  }
  return { corpus, warnings };
}

/** The request's what-if engine from the pool. */
function engineForQuery(pool: EnginePool, q: Record<string, unknown>): Engine {
  return pool.get(listValues(q[API_WHAT_IF.in]), listValues(q[API_WHAT_IF.out]));
}

/** What a JSON value is, for errors about the whole body or an item. */
function jsonKind(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** Validates a scenario with the engine's codec; a value that is not an object is named by its JSON kind. */
function parseScenario(engine: Engine, value: unknown): Scenario {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ScenarioError({ path: '(scenario)', given: jsonKind(value), allowed: ['object'], message: 'a scenario must be a JSON object' });
  }
  return engine.codec.parse(value);
}

/** Sends JSON already serialised (decisions come from the engine as UTF-8 pieces), bypassing the serializer. */
function sendJsonBytes(reply: FastifyReply, pieces: readonly Uint8Array[]): FastifyReply {
  return reply.type(JSON_TYPE).send(Buffer.concat(pieces));
}

function errorBody(error: InputError): { error: InputError } {
  return { error };
}

const whatIfQuery = {
  type: 'object',
  properties: {
    [API_WHAT_IF.in]: {
      type: 'array', items: { type: 'string' },
      description: 'What-if: decide as if this instrument were in force (and binding) on every date. Repeatable or comma-separated instrument ids.',
    },
    [API_WHAT_IF.out]: {
      type: 'array', items: { type: 'string' },
      description: 'What-if: decide as if this instrument were never in force. Repeatable or comma-separated instrument ids.',
    },
  },
  additionalProperties: false,
} as const;

/** The decide routes' query: the what-if and the language of the words. */
const decideQuery = {
  ...whatIfQuery,
  properties: {
    ...whatIfQuery.properties,
    lang: { type: 'string', enum: [...languages], description: 'The language of the words (summary, why, instructions): en or es; without it, Accept-Language; else en.' },
  },
} as const;

const errorResponse = (description: string) => ({ description, $ref: 'Error#' });

/** Builds the API (not listening). Throws a ContractError when the corpus cannot be loaded or the what-if is bad. */
export function buildServer(options: ServerOptions = {}): FastifyInstance {
  const { corpus, warnings } = corpusFrom(options);
  const engines = new EnginePool(corpus, { defaults: { assumeInForce: options.assumeInForce, assumeNotInForce: options.assumeNotInForce } });
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const batchBodyLimit = options.batchBodyLimit ?? 16 * bodyLimit;
  const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
  const jurisdictionIds = [...corpus.jurisdictions.keys()].sort();

  const app = Fastify({
    logger: (options.logger ?? false) as FastifyServerOptions['logger'],
    bodyLimit,
    requestIdHeader: 'x-request-id',
    return503OnClosing: true,
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
    try {
      done(null, JSON.parse(text));
    } catch (e) {
      done(new ContractError('bad_input', { path: '(body)', given: excerpt(text), message: `not valid JSON: ${(e as Error).message}` }), undefined);
    }
  });

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

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
        return reply.code(400).send(errorBody({ path: '(content-length)', given: request.headers['content-length'] ?? null, message: 'Content-Length does not match the body' }));
    }
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status < 500) {
      request.log.info({ err }, 'request refused');
      return reply.code(status).send(errorBody({ path: '(request)', given: null, message: err.message }));
    }
    request.log.error({ err }, 'internal error');
    return reply.code(500).send(errorBody({ path: '(server)', given: null, message: `internal error (request id ${request.id}); see the server log` }));
  });

  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0]!;
    const others = ['GET', 'POST'].filter((m) => m !== request.method && app.hasRoute({ url, method: m as 'GET' | 'POST' }));
    if (others.length) {
      return reply.code(405).header('allow', others.join(', ')).send(errorBody({
        path: '(method)', given: request.method, allowed: others, message: `${url} answers ${others.join(', ')}`,
      }));
    }
    return reply.code(404).send(errorBody({ path: '(url)', given: `${request.method} ${url}`, allowed: endpoints, message: 'no such endpoint' }));
  });

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

  void app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'trustrules',
        version: packageVersion(),
        description:
          'May this public employee do this? Decisions on Maryland immigration-cooperation policies, with the governing clauses quoted. '
          + 'Bad input is answered with HTTP 400 and {"error": {"path", "given", "allowed", "message"}}.',
      },
      tags: [
        { name: 'decide', description: 'Decide scenarios' },
        { name: 'policies', description: 'The jurisdictions and instruments behind the decisions' },
        { name: 'contacts', description: 'Contact records (tokens: Authorization: Bearer <token>)' },
        { name: 'log', description: 'The tamper-evident log of contact records: checkpoints, key, proofs' },
        { name: 'meta', description: 'Service' },
      ],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A token from trustrules users add' } } },
    },
    convertConstToEnum: false, // OpenAPI 3.1 has JSON Schema's const
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    // Jurisdiction ids contain slashes, so the route is a wildcard; document it as {id} (slashes may be sent as-is or as %2F).
    transform: ({ schema, url }) =>
      url === '/v1/jurisdictions/*'
        ? {
          schema: { ...schema, params: { type: 'object', properties: { id: { type: 'string', description: 'Jurisdiction id, e.g. us/md/montgomery-county' } }, required: ['id'] } },
          url: '/v1/jurisdictions/:id',
        }
        : { schema, url },
  });
  void app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  // Routes in a plugin registered after @fastify/swagger, so that it sees them.
  void app.register(async (api) => {
    void api.register(contactRoutes, { engine: engines.base, ...(options.contacts ? { contacts: options.contacts } : {}) });
    void api.register(analysisRoutes, { corpus, enginePool: engines });
    void api.register(practiceRoutes, { engine: () => engines.base });
    // ---- Decide
    const decideBody = (request: FastifyRequest): unknown => {
      if (request.body === undefined || (request.body === null && !request.headers['content-type'])) {
        throw new ContractError('bad_input', { path: '(body)', given: null, message: 'send a JSON body, with Content-Type: application/json' });
      }
      return request.body;
    };

    api.post('/v1/decide', {
      schema: {
        tags: ['decide'],
        summary: 'Decide one scenario',
        description: 'One scenario in, one decision out. Unknown or omitted facts are filled in every way (outcome "depends" when they matter).',
        querystring: decideQuery,
        body: { $ref: 'Scenario#' },
        response: { 200: { description: 'The decision', $ref: 'Decision#' }, 400: errorResponse('A bad scenario or what-if'), 413: errorResponse('Body too large'), 415: errorResponse('Not JSON') },
      },
    }, async (request, reply) => {
      const q = knownQuery(request.query, [...Object.values(API_WHAT_IF), 'lang']);
      const lang = requestLanguage(q, request.headers['accept-language']);
      const engine = engineForQuery(engines, q);
      const scenario = parseScenario(engine, decideBody(request));
      return sendJsonBytes(reply, [decisionBytes(engine, scenario, lang)]);
    });

    api.post('/v1/decide/batch', {
      bodyLimit: batchBodyLimit,
      schema: {
        tags: ['decide'],
        summary: 'Decide a batch of scenarios',
        description: `A JSON array of scenarios (at most ${maxBatch}) in, the array of their decisions out, in order. `
          + 'If any scenario is bad the whole batch is refused with 400, and the error path starts with its index (e.g. "3.basis").',
        querystring: decideQuery,
        body: { type: 'array', items: { $ref: 'Scenario#' }, maxItems: maxBatch },
        response: {
          200: { description: 'The decisions, in order', type: 'array', items: { $ref: 'Decision#' } },
          400: errorResponse('A bad scenario (path prefixed by its index) or what-if'),
          413: errorResponse('Too many scenarios, or body too large'),
          415: errorResponse('Not JSON'),
        },
      },
    }, async (request, reply) => {
      const q = knownQuery(request.query, [...Object.values(API_WHAT_IF), 'lang']);
      const lang = requestLanguage(q, request.headers['accept-language']);
      const engine = engineForQuery(engines, q);
      const body = decideBody(request);
      if (!Array.isArray(body)) {
        throw new ContractError('bad_input', { path: '(body)', given: jsonKind(body), allowed: ['array'], message: 'a batch must be a JSON array of scenarios' });
      }
      if (body.length > maxBatch) {
        throw new ContractError('too_large', { path: '(body)', given: body.length, allowed: [`at most ${maxBatch} scenarios`], message: `too many scenarios in one batch (${body.length}; at most ${maxBatch})` });
      }
      const scenarios = body.map((item, i) => {
        try {
          return parseScenario(engine, item);
        } catch (e) {
          if (e instanceof ScenarioError) {
            const at = e.error.path === '(scenario)' ? String(i) : `${i}.${e.error.path}`;
            throw new ContractError('bad_input', { ...e.error, path: at, message: `scenario ${i}: ${e.error.message}` });
          }
          throw e;
        }
      });
      const pieces: Uint8Array[] = [OPEN_BRACKET];
      scenarios.forEach((s, i) => {
        if (i) pieces.push(COMMA);
        encodeDecision(engine, s, lang, pieces);
      });
      pieces.push(CLOSE_BRACKET);
      return sendJsonBytes(reply, pieces);
    });

    // ---- Listings
    api.get('/v1/jurisdictions', {
      schema: {
        tags: ['policies'],
        summary: 'Every jurisdiction',
        description: 'In id order, with name, kind, parent, FIPS/GEOID and the ids of the instruments each issued.',
        response: { 200: { description: 'The jurisdictions', type: 'array', items: { $ref: 'Jurisdiction#' } }, 400: errorResponse('Unknown query parameter') },
      },
    }, async (request) => {
      knownQuery(request.query, []);
      return sortedJurisdictions(corpus).map((j) => jurisdictionJson(j, corpus));
    });

    api.get('/v1/jurisdictions/*', {
      schema: {
        tags: ['policies'],
        summary: 'One jurisdiction',
        description: 'The id is a path, e.g. /v1/jurisdictions/us/md/montgomery-county.',
        params: { type: 'object', properties: { '*': { type: 'string', description: 'Jurisdiction id' } } },
        response: { 200: { description: 'The jurisdiction', $ref: 'JurisdictionDetail#' }, 404: errorResponse('No such jurisdiction') },
      },
    }, async (request) => {
      knownQuery(request.query, []);
      const id = (request.params as { '*': string })['*'].replace(/\/+$/, '');
      const j = corpus.jurisdictions.get(id);
      if (!j) throw new ContractError('not_found', { ...unknownJurisdiction(corpus, 'id', id).error, message: `no jurisdiction "${id}"` });
      const children = jurisdictionIds.filter((c) => corpus.jurisdictions.get(c)?.parent === id);
      return { ...jurisdictionJson(j, corpus), children };
    });

    const atParam = (q: Record<string, unknown>): string => {
      return dateParam('at', singleValue(q, 'at'), today());
    };
    const atQuerySchema = { type: 'string', format: 'date', description: 'Report each status as of this date (default today)' };

    api.get('/v1/instruments', {
      schema: {
        tags: ['policies'],
        summary: 'Every instrument',
        description: 'Laws, orders, directives, agreements, bills and guidance, by jurisdiction then id, with status, in-force intervals, sources and provisions.',
        querystring: {
          type: 'object',
          properties: { jurisdiction: { type: 'string', enum: jurisdictionIds, description: 'Only the instruments this jurisdiction issued' }, at: atQuerySchema },
          additionalProperties: false,
        },
        response: { 200: { description: 'The instruments', type: 'array', items: { $ref: 'Instrument#' } }, 400: errorResponse('Bad jurisdiction or date') },
      },
    }, async (request) => {
      const q = knownQuery(request.query, ['jurisdiction', 'at']);
      const jurisdiction = singleValue(q, 'jurisdiction');
      if (jurisdiction !== undefined) jurisdictionParam(corpus, 'jurisdiction', jurisdiction);
      const at = atParam(q);
      return sortedInstruments(corpus).filter((i) => jurisdiction === undefined || i.jurisdiction === jurisdiction).map((i) => instrumentJson(i, at));
    });

    api.get('/v1/instruments/:id', {
      schema: {
        tags: ['policies'],
        summary: 'One instrument',
        params: { type: 'object', properties: { id: { type: 'string', description: 'Instrument id' } }, required: ['id'] },
        querystring: { type: 'object', properties: { at: atQuerySchema }, additionalProperties: false },
        response: { 200: { description: 'The instrument', $ref: 'Instrument#' }, 400: errorResponse('Bad date'), 404: errorResponse('No such instrument') },
      },
    }, async (request) => {
      const q = knownQuery(request.query, ['at']);
      const { id } = request.params as { id: string };
      const ins = corpus.instruments.get(id);
      if (!ins) throw new ContractError('not_found', { path: 'id', given: id, allowed: [...corpus.instruments.keys()].sort(), message: `no instrument "${id}"` });
      return instrumentJson(ins, atParam(q));
    });

    // ---- Service

    api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

    api.get('/healthz', {
      schema: {
        tags: ['meta'],
        summary: 'Health and the policy version',
        response: { 200: { description: 'Serving', $ref: 'Health#' } },
      },
    }, async () => ({
      status: 'ok' as const,
      policy_version: engines.base.policyVersion,
      jurisdictions: corpus.jurisdictions.size,
      instruments: corpus.instruments.size,
      ...(engines.base.assumptions ? { assumptions: engines.base.assumptions } : {}),
    }));
  });

  app.addHook('onListen', async () => {
    app.log.info({ policy_version: engines.base.policyVersion, instruments: corpus.instruments.size, docs: `${app.listeningOrigin}/docs` }, 'trustrules API ready');
  });

  return app;
}

