// The OpenAPI document (served at /openapi.json, shown at /docs): shared schemas from the zod response shapes and
// the scenario codec, security schemes, and an operationId, security and 429 on every operation.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { z } from 'zod';
import { today } from '../app/dates.js';
import type { EnginePool } from '../app/pool.js';
import { packageRoot } from '../vocabulary/vocabulary.js';
import { openApiOperation } from './openapi.js';
import {
  decisionSchema, errorSchema, healthSchema, instrumentSchema, jsonSchemaOf, jurisdictionDetailSchema, jurisdictionSchema, readinessSchema,
} from './schemas.js';

/** What the document is made from. */
export interface OpenApiOptions {
  /** The engines (the base engine's codec gives the Scenario schema). */
  readonly engines: EnginePool;
  /** Every jurisdiction id, sorted (the example scenario takes one). */
  readonly jurisdictionIds: readonly string[];
  /** Set when /metrics asks for a token: the document then declares that scheme. */
  readonly metricsToken?: string | undefined;
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** How the document names the jurisdiction route's path parameter (the route itself is a wildcard). */
const jurisdictionPathParams = jsonSchemaOf(z.strictObject({ id: z.string().describe('Jurisdiction id, e.g. us/md/montgomery-county') }), 'input');

/** Registers @fastify/swagger and its UI; routes registered after this are documented. */
export function registerOpenApi(app: FastifyInstance, { engines, jurisdictionIds, metricsToken }: OpenApiOptions): void {
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
          ...(metricsToken ? { metricsToken: { type: 'http', scheme: 'bearer', description: 'The metrics token this server is configured with (--metrics-token)' } } : {}),
        },
      },
    },
    convertConstToEnum: false, // OpenAPI 3.1 has JSON Schema's const
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    // Jurisdiction ids contain slashes, so the route is a wildcard; document it as {id} (slashes may be sent as-is or as %2F).
    transform: ({ schema, url, route }) => {
      const documented = url === '/v1/jurisdictions/*'
        ? {
          schema: { ...schema, params: jurisdictionPathParams },
          url: '/v1/jurisdictions/:id',
        }
        : { schema, url };
      // Every operation gets an operationId, its security (none unless the route names a scheme) and its 429.
      return { url: documented.url, schema: openApiOperation([route.method].flat()[0] ?? 'GET', documented.url, (documented.schema ?? {}) as Record<string, unknown>) };
    },
  });
  void app.register(fastifySwaggerUi, { routePrefix: '/docs' });
}
