// GET /healthz and /openapi.json as a Fastify plugin: the service's own state and its API document.
import type { FastifyInstance } from 'fastify';
import { knownQuery } from '../app/params.js';
import type { EnginePool } from '../app/pool.js';
import type { Corpus } from '../policy/corpus.js';
import { jsonSchemaOf, noQuery, parameterNames } from './schemas.js';

/** What the service routes need: the corpus, the pool (for the policy version) and the OpenAPI document. */
export interface ServiceRoutesOptions {
  readonly corpus: Corpus;
  readonly engines: EnginePool;
  /** The OpenAPI document (from @fastify/swagger, once every route is registered). */
  readonly openapi: () => unknown;
}

/** The service routes. */
export async function serviceRoutes(app: FastifyInstance, opts: ServiceRoutesOptions): Promise<void> {
  const { corpus, engines } = opts;

  app.get('/openapi.json', { schema: { hide: true } }, async () => opts.openapi());

  app.get('/healthz', {
    schema: {
      tags: ['meta'],
      summary: 'Health and the policy version',
      querystring: jsonSchemaOf(noQuery, 'input'),
      response: { 200: { description: 'Serving', $ref: 'Health#' }, 400: { description: 'A query parameter (this endpoint takes none)', $ref: 'Error#' } },
    },
  }, async (request) => {
    knownQuery(request.query, parameterNames(noQuery));
    return {
      status: 'ok' as const,
      policy_version: engines.base.policyVersion,
      jurisdictions: corpus.jurisdictions.size,
      instruments: corpus.instruments.size,
      ...(engines.base.assumptions ? { assumptions: engines.base.assumptions } : {}),
    };
  });
}
