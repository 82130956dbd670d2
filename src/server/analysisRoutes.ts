// The analysis endpoints under /v1/analysis/…: table, diff, gaps, timeline, coverage and check findings, as a Fastify
// plugin. The work runs where the runner puts it (worker threads in a server, see analysisRunner.ts), within the
// caller's bounds; answers are streamed with back-pressure. A bad parameter gets 400 and the contract's error object.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requestLanguage } from '../app/config.js';
import { ContractError, contractErrorOf } from '../app/errors.js';
import { EnginePool } from '../app/pool.js';
import type { Corpus } from '../policy/corpus.js';
import type { OpenContactStore } from '../store/open.js';
import { userForToken } from '../store/users.js';
import {
  analysisQuerySchemas, checkResponseSchema, coverageResponseSchema, diffResponseSchema, tableResponseSchema, timelineResponseSchema,
} from './analysisSchemas.js';
import { inProcessAnalysis, type AnalysisRunner } from './analysisRunner.js';
import { ANONYMOUS_BOUNDS, TOKEN_BOUNDS, type AnalysisBounds, type AnalysisKind } from './analysisWork.js';
import { errorSchema, jsonSchemaOf } from './schemas.js';

/** What the analysis routes need: the corpus, where the work runs, and who holds a token. */
export interface AnalysisRoutesOptions {
  readonly corpus: Corpus;
  /** Engines per what-if; default a new pool over the corpus (for the in-process runner). */
  readonly enginePool?: EnginePool;
  /** Where the work runs (analysisRunner.ts); default in process, on this pool. */
  readonly runner?: AnalysisRunner;
  /** The accounts whose tokens lift the anonymous bounds (without a store everyone is anonymous). */
  readonly contacts?: OpenContactStore;
  /** Bounds without and with a token (default ANONYMOUS_BOUNDS, TOKEN_BOUNDS). */
  readonly bounds?: { readonly anonymous?: AnalysisBounds; readonly token?: AnalysisBounds };
}

const errorResponse = { description: 'A bad parameter: the contract error object', ...jsonSchemaOf(errorSchema) };
/** Every refusal an analysis endpoint may give, each the contract error object. */
const refusals = {
  400: errorResponse,
  401: { description: 'An Authorization header that is not a live token', ...jsonSchemaOf(errorSchema) },
  403: { description: 'More than the caller may ask for (rows of an expanded table, time); the message says how to ask for less', ...jsonSchemaOf(errorSchema) },
  503: { description: 'Every analysis thread busy and the queue full (Retry-After), or over the time budget with a token', ...jsonSchemaOf(errorSchema) },
};
const diffResponse = jsonSchemaOf(diffResponseSchema);

/** An endpoint's query parameters for the OpenAPI document, from its zod schema (analysisSchemas.ts). */
const query = (kind: AnalysisKind) => jsonSchemaOf(analysisQuerySchemas[kind], 'input');

/** Schemas here document (zod, converted); the handlers validate, so every refusal has the contract's shape (not Ajv's). */
const passThrough = () => (data: unknown) => ({ value: data });

/** The /v1/analysis routes (table, diff, gaps, timeline, coverage, check) as a Fastify plugin. */
export async function analysisRoutes(app: FastifyInstance, opts: AnalysisRoutesOptions): Promise<void> {
  const { corpus } = opts;
  const runner = opts.runner ?? inProcessAnalysis(corpus, opts.enginePool ?? new EnginePool(corpus));

  /**
   * Whether the request carries a live token (any role): then TOKEN_BOUNDS apply. No Authorization header is an
   * anonymous caller; a header that is not a live token is a 401, never silently anonymous.
   */
  const holdsToken = async (request: FastifyRequest, reply: FastifyReply): Promise<boolean> => {
    const header = request.headers.authorization;
    if (header === undefined) return false;
    const token = /^Bearer ([!-~]{1,200})$/.exec(header)?.[1];
    if (token && opts.contacts && await userForToken(opts.contacts.db, token)) return true;
    reply.header('www-authenticate', 'Bearer');
    throw new ContractError('unauthorized', {
      path: '(authorization)', given: '(not shown)', allowed: ['Bearer <token>', 'no Authorization header (anonymous bounds)'],
      message: token ? 'unknown or revoked token' : 'the Authorization header must be "Bearer <token>"',
    });
  };

  /** Hands the request to the runner and sends what it answers; the client going away aborts the work. */
  const handler = (kind: AnalysisKind) => async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      const query = (request.query ?? {}) as Record<string, unknown>;
      const lang = requestLanguage(query, request.headers['accept-language']);
      const anonymous = !(await holdsToken(request, reply));
      const gone = new AbortController();
      reply.raw.once('close', () => gone.abort());
      const bounds = anonymous ? opts.bounds?.anonymous ?? ANONYMOUS_BOUNDS : opts.bounds?.token ?? TOKEN_BOUNDS;
      const result = await runner.run({ kind, query, lang, anonymous, bounds }, gone.signal);
      if ('stream' in result) return reply.type(result.contentType).send(result.stream);
      if (result.headers) reply.headers(result.headers);
      return reply.code(result.status).type(result.contentType).send(result.body);
    } catch (e) {
      const refusal = contractErrorOf(e, corpus);
      if (refusal) return reply.code(refusal.httpStatus).type('application/json').send(JSON.stringify(refusal.body()));
      throw e;
    }
  };

  app.get('/v1/analysis/table', {
    validatorCompiler: passThrough,
    schema: {
      summary: 'Every relevant combination of facts for a jurisdiction on a date, and its outcome',
      description: 'Rows enumerate the facts the engine reads for each agency and request; a request\'s other relevant facts are listed in `any` (no value of them changes the outcome) unless `expand`. Every row is what POST /v1/decide returns for its scenario. Streamed.',
      tags: ['analysis'],
      querystring: query('table'),
      response: { 200: jsonSchemaOf(tableResponseSchema), ...refusals },
    },
  }, handler('table'));

  app.get('/v1/analysis/diff', {
    validatorCompiler: passThrough,
    schema: {
      summary: 'Every scenario whose outcome differs between two jurisdictions, two dates, or the law and a what-if',
      description: 'With `a` and `b`: the same facts, the actor moved from a to b, on `at` (both under the what-if if any). With `a` and `vs_date`: a on `at` against a on `vs_date`. With `a` alone and a what-if: a under the law (side a) against a under the what-if (side b). Streamed.',
      tags: ['analysis'],
      querystring: query('diff'),
      response: { 200: diffResponse, ...refusals },
    },
  }, handler('diff'));

  app.get('/v1/analysis/gaps', {
    validatorCompiler: passThrough,
    schema: {
      summary: 'Where a jurisdiction protects less than a model',
      description: 'The model is a jurisdiction (the actor moved there) or an instrument: one of the jurisdiction\'s own or its ancestors\' is assumed in force; one from elsewhere is treated as adopted by the jurisdiction and in force. Protection: prohibited > conflict > no_rule = permitted > required. Same shape as diff (a: the jurisdiction, b: the model).',
      tags: ['analysis'],
      querystring: query('gaps'),
      response: { 200: diffResponse, ...refusals },
    },
  }, handler('gaps'));

  app.get('/v1/analysis/timeline', {
    validatorCompiler: passThrough,
    schema: {
      summary: 'The dates on which any outcome changed for a jurisdiction, and what changed',
      tags: ['analysis'],
      querystring: query('timeline'),
      response: { 200: jsonSchemaOf(timelineResponseSchema), ...refusals },
    },
  }, handler('timeline'));

  app.get('/v1/analysis/coverage', {
    validatorCompiler: passThrough,
    schema: {
      summary: 'Which provisions and which parts of the scenario space the policy tests exercise',
      description: 'Needs the policy tests loaded with the corpus; without them every count of exercised is 0.',
      tags: ['analysis'],
      querystring: query('coverage'),
      response: { 200: jsonSchemaOf(coverageResponseSchema), ...refusals },
    },
  }, handler('coverage'));

  app.get('/v1/analysis/check', {
    validatorCompiler: passThrough,
    schema: {
      summary: 'Scenarios decided conflict (with the provisions), and facts no provision reads',
      tags: ['analysis'],
      querystring: query('check'),
      response: { 200: jsonSchemaOf(checkResponseSchema), ...refusals },
    },
  }, handler('check'));
}
