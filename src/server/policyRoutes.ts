// GET /v1/jurisdictions and /v1/instruments as a Fastify plugin: the corpus behind the decisions, with statuses as
// of a date (today by default) and near misses for an unknown jurisdiction.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { dateParam, today } from '../app/dates.js';
import { ContractError, unknownJurisdiction } from '../app/errors.js';
import { jurisdictionParam, knownQuery, singleValue } from '../app/params.js';
import type { Corpus } from '../policy/corpus.js';
import { instrumentJson, jurisdictionJson, sortedInstruments, sortedJurisdictions } from '../policy/listing.js';
import { jsonSchemaOf, noQuery, parameterNames } from './schemas.js';

/** What the policy routes need: the corpus. */
export interface PolicyRoutesOptions {
  readonly corpus: Corpus;
}

const errorResponse = (description: string) => ({ description, $ref: 'Error#' });

/** The listing routes. */
export async function policyRoutes(app: FastifyInstance, opts: PolicyRoutesOptions): Promise<void> {
  const { corpus } = opts;
  const jurisdictionIds = [...corpus.jurisdictions.keys()].sort();
  const atParam = (q: Record<string, unknown>): string => dateParam('at', singleValue(q, 'at'), today());
  const at = z.iso.date().optional().describe('Report each status as of this date (default today)');
  // Query schemas are zod, converted for the OpenAPI document; the handlers take the parameters they list and validate
  // the values themselves, so refusals keep the contract shape.
  const instrumentsQuery = z.strictObject({
    jurisdiction: z.enum(jurisdictionIds as [string, ...string[]]).optional().describe('Only the instruments this jurisdiction issued'),
    at,
  });
  const instrumentQuery = z.strictObject({ at });
  const params = (name: string, description: string) => jsonSchemaOf(z.strictObject({ [name]: z.string().describe(description) }), 'input');

  app.get('/v1/jurisdictions', {
    schema: {
      tags: ['policies'],
      summary: 'Every jurisdiction',
      description: 'In id order, with name, kind, parent, FIPS/GEOID and the ids of the instruments each issued.',
      querystring: jsonSchemaOf(noQuery, 'input'),
      response: { 200: { description: 'The jurisdictions', type: 'array', items: { $ref: 'Jurisdiction#' } }, 400: errorResponse('Unknown query parameter') },
    },
  }, async (request) => {
    knownQuery(request.query, parameterNames(noQuery));
    return sortedJurisdictions(corpus).map((j) => jurisdictionJson(j, corpus));
  });

  app.get('/v1/jurisdictions/*', {
    schema: {
      tags: ['policies'],
      summary: 'One jurisdiction',
      description: 'The id is a path, e.g. /v1/jurisdictions/us/md/montgomery-county.',
      params: params('*', 'Jurisdiction id'),
      querystring: jsonSchemaOf(noQuery, 'input'),
      response: { 200: { description: 'The jurisdiction', $ref: 'JurisdictionDetail#' }, 404: errorResponse('No such jurisdiction') },
    },
  }, async (request) => {
    knownQuery(request.query, parameterNames(noQuery));
    const id = (request.params as { '*': string })['*'].replace(/\/+$/, '');
    const j = corpus.jurisdictions.get(id);
    if (!j) throw new ContractError('not_found', { ...unknownJurisdiction(corpus, 'id', id).error, message: `no jurisdiction "${id}"` });
    const children = jurisdictionIds.filter((c) => corpus.jurisdictions.get(c)?.parent === id);
    return { ...jurisdictionJson(j, corpus), children };
  });

  app.get('/v1/instruments', {
    schema: {
      tags: ['policies'],
      summary: 'Every instrument',
      description: 'Laws, orders, directives, agreements, bills and guidance, by jurisdiction then id, with status, in-force intervals, sources and provisions.',
      querystring: jsonSchemaOf(instrumentsQuery, 'input'),
      response: { 200: { description: 'The instruments', type: 'array', items: { $ref: 'Instrument#' } }, 400: errorResponse('Bad jurisdiction or date') },
    },
  }, async (request) => {
    const q = knownQuery(request.query, parameterNames(instrumentsQuery));
    const jurisdiction = singleValue(q, 'jurisdiction');
    if (jurisdiction !== undefined) jurisdictionParam(corpus, 'jurisdiction', jurisdiction);
    const at = atParam(q);
    return sortedInstruments(corpus).filter((i) => jurisdiction === undefined || i.jurisdiction === jurisdiction).map((i) => instrumentJson(i, at));
  });

  app.get('/v1/instruments/:id', {
    schema: {
      tags: ['policies'],
      summary: 'One instrument',
      params: params('id', 'Instrument id'),
      querystring: jsonSchemaOf(instrumentQuery, 'input'),
      response: { 200: { description: 'The instrument', $ref: 'Instrument#' }, 400: errorResponse('Bad date'), 404: errorResponse('No such instrument') },
    },
  }, async (request) => {
    const q = knownQuery(request.query, parameterNames(instrumentQuery));
    const { id } = request.params as { id: string };
    const ins = corpus.instruments.get(id);
    if (!ins) throw new ContractError('not_found', { path: 'id', given: id, allowed: [...corpus.instruments.keys()].sort(), message: `no instrument "${id}"` });
    return instrumentJson(ins, atParam(q));
  });
}
