// The contact-record and log endpoints of contract section 7, as a Fastify plugin: POST /v1/contacts (answered only
// once durable, with the clerk's receipt), record reads by role and scope (each read itself logged), and the public
// checkpoint, key and consistency proofs. No token is 401, a token outside its scope 403, bad input 400.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Engine } from '../engine/engine.js';
import { encodeHash } from '../log/index.js';
import { recordAccess } from '../store/accessLog.js';
import { contactBodySchema } from '../store/contactInput.js';
import { RevokedAccountError, type ContactQuery, type StoredContact } from '../store/contacts.js';
import { contactJson, contactsCsv } from '../store/contactViews.js';
import type { OpenContactStore } from '../store/open.js';
import { userForToken, withinJurisdiction, type User } from '../store/users.js';
import { ContractError } from '../app/errors.js';
import { knownQuery } from '../app/params.js';
import { mayRead, recordContact, scopedQuery } from '../store/recordContact.js';
import { consistencyProofSchema, contactListSchema, contactResponseSchema, inclusionProofSchema, receiptSchema } from './contactSchemas.js';
import { jsonSchemaOf, noQuery, parameterNames } from './schemas.js';

/** What the plugin needs: the engine that decides each contact, and the open store (absent: the routes answer 503). */
export interface ContactRoutesOptions {
  readonly engine: Engine;
  readonly contacts?: OpenContactStore;
}

/** Largest contact body accepted (a record is a few hundred bytes). */
export const CONTACT_BODY_LIMIT = 16 * 1024;
/**
 * How long POST /v1/contacts trusts a looked-up token without asking the database again, so that concurrent appends
 * reach one group commit. A revocation is still effective at once: the commit itself refuses an account revoked before
 * it (ContactStore, RevokedAccountError), and every read looks its token up.
 */
export const TOKEN_CACHE_MS = 2000;
const TOKEN_CACHE_SIZE = 10_000;
const RECORD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const isoDate = z.iso.date();
const isoDateTime = z.iso.datetime({ offset: true });

/** The routes' query and path parameters (the OpenAPI document is made from these; the handlers check the values). */
const recordParams = z.strictObject({ id: z.string().describe('The record id (a UUID)') });
const listQuery = z.strictObject({
  jurisdiction: z.string().optional().describe('This jurisdiction and those below it (default: the token\'s)'),
  from: z.union([isoDate, isoDateTime]).optional().describe('occurred_at from this date or date-time'),
  to: z.union([isoDate, isoDateTime]).optional().describe('occurred_at up to this date (inclusive) or date-time (exclusive)'),
  deviation: z.enum(['true', 'false']).optional().describe('Only the records whose action did (true) or did not (false) contradict the outcome'),
});
const treeSize = (description: string) => z.int().min(1).describe(description);
const consistencyQuery = z.strictObject({ from: treeSize('The smaller tree size'), to: treeSize('The larger tree size, at most the current one') });
const inclusionQuery = z.strictObject({
  index: z.int().min(0).describe('The record\'s index in the log'),
  size: treeSize('The tree size the proof is for (default the current one)').optional(),
});

const errorRef = (description: string) => ({ description, $ref: 'Error#' });
const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Sends records as committed: JSON.stringify keeps their canonical key order (a schema serializer would put the
 * scenario's facts after its date and request) and can drop nothing, so an auditor sees every stored field. The
 * response schema documents the shape; the tests hold every response to it.
 */
const sendCommitted = (reply: FastifyReply, value: unknown) => reply.type(JSON_TYPE).send(JSON.stringify(value));

/** Refuses a query parameter the route's schema does not list, and any given twice; gives the query. */
function unknownParams(query: unknown, schema: z.ZodObject): Record<string, unknown> {
  const q = knownQuery(query, parameterNames(schema));
  for (const [k, v] of Object.entries(q)) if (Array.isArray(v)) throw new ContractError('bad_input', { path: k, given: v, message: `give "${k}" once` });
  return q;
}

function integerParam(q: Record<string, unknown>, name: string, min: number, max: number | undefined): number | undefined {
  const v = q[name];
  if (v === undefined) return undefined;
  const s = String(v);
  const n = Number(s);
  const allowed = [max === undefined ? `a whole number ≥ ${min}` : max < min ? 'none: the log is too small' : `a whole number from ${min} to ${max}`];
  if (!/^(0|[1-9][0-9]{0,15})$/.test(s) || !Number.isSafeInteger(n) || n < min || (max !== undefined && n > max)) {
    throw new ContractError('bad_input', { path: name, given: s, allowed, message: `"${name}" is out of range or not a whole number` });
  }
  return n;
}

/** Whether the client asked for CSV rather than JSON. */
function wantsCsv(request: FastifyRequest): boolean {
  const accept = String(request.headers.accept ?? '');
  return /\btext\/csv\b/.test(accept) && !/\bapplication\/json\b/.test(accept);
}

const bearer = [{ bearer: [] as string[] }];

/** The plugin: registered by the server builder with the engine and the open store. */
export async function contactRoutes(api: FastifyInstance, options: ContactRoutesOptions): Promise<void> {
  const { engine } = options;
  const jurisdictionIds = [...engine.corpus.jurisdictions.keys()].sort();
  const open = (): OpenContactStore => {
    if (!options.contacts) throw new ContractError('unavailable', { path: '(server)', given: null, message: 'this server runs without a contact store' });
    return options.contacts;
  };

  // Accounts of tokens seen in the last TOKEN_CACHE_MS, for appends only: under load, they then queue for the next
  // group commit at once instead of each waiting for its own lookup (with PGlite, behind the commit itself). The commit
  // checks revocation itself; reads look the token up every time.
  const tokens = new Map<string, { user: User; until: number }>();
  const authenticate = async (request: FastifyRequest, reply: FastifyReply, cached = false): Promise<User> => {
    const { db } = open();
    const header = request.headers.authorization;
    const refuse = (message: string): never => {
      reply.header('www-authenticate', 'Bearer');
      throw new ContractError('unauthorized', { path: '(authorization)', given: header === undefined ? null : '(not shown)', allowed: ['Bearer <token>'], message });
    };
    if (header === undefined) return refuse('this endpoint needs a token: send Authorization: Bearer <token>');
    const m = /^Bearer ([!-~]{1,200})$/.exec(header);
    if (!m) return refuse('the Authorization header must be "Bearer <token>"');
    const token = m[1]!;
    const seen = cached ? tokens.get(token) : undefined;
    if (seen && seen.until > Date.now()) return seen.user;
    const user = await userForToken(db, token);
    if (!user) {
      tokens.delete(token);
      return refuse('unknown or revoked token');
    }
    if (cached) {
      if (tokens.size >= TOKEN_CACHE_SIZE) tokens.clear();
      tokens.set(token, { user, until: Date.now() + TOKEN_CACHE_MS });
    }
    return user;
  };
  /** The 401 of a token whose account was revoked after the server last looked it up. */
  const revoked = (request: FastifyRequest, reply: FastifyReply): never => {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (token !== undefined) tokens.delete(token);
    reply.header('www-authenticate', 'Bearer');
    throw new ContractError('unauthorized', { path: '(authorization)', given: '(not shown)', allowed: ['Bearer <token>'], message: 'unknown or revoked token' });
  };
  const forbid = (user: User, what: string): never => {
    throw new ContractError('forbidden', {
      path: '(authorization)', given: `${user.role} for ${user.jurisdiction}${user.agency ? ` (${user.agency})` : ''}`,
      message: `this token may not ${what}`,
    });
  };

  api.post('/v1/contacts', {
    bodyLimit: CONTACT_BODY_LIMIT,
    schema: {
      tags: ['contacts'],
      summary: 'Record a contact with a federal agent',
      description: 'Decides the scenario as of the day it occurred, stores the record with its decision and deviation flag, and answers only once the record is durably committed, with the receipt that proves it later. The schema is closed: no names, birth dates, identifying numbers, citizenship or status.',
      security: bearer,
      body: (({ $schema: _, ...rest }) => rest)(z.toJSONSchema(contactBodySchema, { io: 'input' })),
      response: {
        201: jsonSchemaOf(receiptSchema), 400: errorRef('A bad record'), 401: errorRef('No valid token'), 403: errorRef('Outside the token\'s scope'), 413: errorRef('Body too large'),
      },
    },
  }, async (request, reply) => {
    const user = await authenticate(request, reply, true);
    const receipt = await recordContact(engine, open().store, user, request.body)
      .catch((e: unknown) => (e instanceof RevokedAccountError ? revoked(request, reply) : Promise.reject(e)));
    return reply.code(201).send(receipt);
  });

  api.get('/v1/contacts/:id', {
    schema: {
      tags: ['contacts'], summary: 'One contact record', security: bearer,
      params: jsonSchemaOf(recordParams, 'input'),
      querystring: jsonSchemaOf(noQuery, 'input'),
      response: { 200: { ...jsonSchemaOf(contactResponseSchema), description: 'The record (JSON, or CSV with Accept: text/csv)' }, 401: errorRef('No valid token'), 403: errorRef('Not yours, or outside the token\'s scope'), 404: errorRef('No such record') },
    },
  }, async (request, reply) => {
    const user = await authenticate(request, reply);
    unknownParams(request.query, noQuery);
    if (user.role === 'admin') forbid(user, 'read contact records (admin tokens manage accounts)');
    const { id } = request.params as { id: string };
    const { store, db } = open();
    const found = RECORD_ID.test(id) ? await store.get(id) : null;
    if (!found) throw new ContractError('not_found', { path: 'id', given: id, message: 'no contact record with this id' });
    if (!mayRead(user, found)) forbid(user, 'read this record');
    await recordAccess(db, { userId: user.id, action: 'get', query: { id }, results: 1 });
    if (wantsCsv(request)) return reply.type('text/csv; charset=utf-8').send(contactsCsv([found]));
    return sendCommitted(reply, contactJson(found));
  });

  api.get('/v1/contacts', {
    schema: {
      tags: ['contacts'], summary: 'Contact records by jurisdiction, time and deviation', security: bearer,
      description: 'Supervisors and auditors: every record in scope; staff: their own. JSON, or CSV with Accept: text/csv.',
      querystring: jsonSchemaOf(listQuery, 'input'),
      response: { 200: { ...jsonSchemaOf(contactListSchema), description: 'The records, in log order (JSON, or CSV with Accept: text/csv)' }, 400: errorRef('A bad parameter'), 401: errorRef('No valid token'), 403: errorRef('Outside the token\'s scope') },
    },
  }, async (request, reply) => {
    const user = await authenticate(request, reply);
    const q = unknownParams(request.query, listQuery);
    const filter = scopedQuery(user, contactQueryFrom(q, jurisdictionIds));
    const { store, db } = open();
    const list = await store.list(filter);
    await recordAccess(db, { userId: user.id, action: 'list', query: { ...q }, results: list.length });
    if (wantsCsv(request)) return reply.type('text/csv; charset=utf-8').send(contactsCsv(list));
    return sendCommitted(reply, { records: list.map(contactJson) });
  });

  api.get('/v1/log/checkpoint', {
    schema: { tags: ['log'], summary: 'The latest signed checkpoint (C2SP tlog-checkpoint, signed note)', querystring: jsonSchemaOf(noQuery, 'input'), response: { 200: { description: 'A signed note', type: 'string' } } },
  }, async (request, reply) => {
    unknownParams(request.query, noQuery);
    const head = await open().store.head();
    return reply.type('text/plain; charset=utf-8').header('cache-control', 'no-store').send(head.checkpoint);
  });

  api.get('/v1/log/key', {
    schema: { tags: ['log'], summary: 'The log\'s verifier key (<name>+<key hash>+<base64 key>)', querystring: jsonSchemaOf(noQuery, 'input'), response: { 200: { description: 'The verifier key', type: 'string' } } },
  }, async (request, reply) => {
    unknownParams(request.query, noQuery);
    return reply.type('text/plain; charset=utf-8').send(`${open().store.signer.verifierKey}\n`);
  });

  api.get('/v1/log/consistency', {
    schema: {
      tags: ['log'], summary: 'Consistency proof between two tree sizes (RFC 9162 2.1.4)',
      querystring: jsonSchemaOf(consistencyQuery, 'input'),
      response: { 200: { ...jsonSchemaOf(consistencyProofSchema), description: 'The proof' }, 400: errorRef('Sizes out of range') },
    },
  }, async (request) => {
    const q = unknownParams(request.query, consistencyQuery);
    const { store } = open();
    const head = await store.head();
    const to = integerParam(q, 'to', 1, head.size) ?? missing('to', head.size);
    const from = integerParam(q, 'from', 1, to) ?? missing('from', to);
    return { proof: (await store.consistency(from, to)).map(encodeHash) };
  });

  api.get('/v1/log/inclusion', {
    schema: {
      tags: ['log'], summary: 'Inclusion proof of one record (RFC 9162 2.1.3)', security: bearer,
      description: 'Auditors, for records in scope; staff, for their own records. `size` defaults to the current tree size.',
      querystring: jsonSchemaOf(inclusionQuery, 'input'),
      response: { 200: { ...jsonSchemaOf(inclusionProofSchema), description: 'The leaf hash and proof' }, 400: errorRef('Index or size out of range'), 401: errorRef('No valid token'), 403: errorRef('Not yours, or outside the token\'s scope') },
    },
  }, async (request, reply) => {
    const user = await authenticate(request, reply);
    const q = unknownParams(request.query, inclusionQuery);
    const { store } = open();
    const head = await store.head();
    const size = integerParam(q, 'size', 1, head.size) ?? head.size;
    const index = integerParam(q, 'index', 0, size - 1) ?? missing('index', size - 1);
    const record = await store.at(index);
    const allowed = record !== null && (record.recordedBy === user.id || (user.role === 'auditor' && mayRead(user, record)));
    if (!allowed) forbid(user, `prove record ${index}`);
    const { leafHash, proof } = await store.inclusion(index, size);
    return { leaf_hash: encodeHash(leafHash), proof: proof.map(encodeHash) };
  });
}

function missing(name: string, max: number): never {
  throw new ContractError('bad_input', { path: name, given: null, allowed: [max < 0 ? 'none: the log is empty' : `a whole number up to ${max}`], message: `"${name}" is required` });
}

/** Parses the list filters: a known jurisdiction, dates or date-times, and deviation true|false. */
function contactQueryFrom(q: Record<string, unknown>, jurisdictionIds: readonly string[]): ContactQuery {
  const out: { -readonly [K in keyof ContactQuery]: ContactQuery[K] } = {};
  if (q.jurisdiction !== undefined) {
    const j = String(q.jurisdiction);
    if (!jurisdictionIds.includes(j)) throw new ContractError('bad_input', { path: 'jurisdiction', given: j, allowed: jurisdictionIds, message: `no jurisdiction "${j}"` });
    out.jurisdiction = j;
  }
  for (const name of ['from', 'to'] as const) {
    if (q[name] === undefined) continue;
    const v = String(q[name]);
    if (!isoDate.safeParse(v).success && !isoDateTime.safeParse(v).success) {
      throw new ContractError('bad_input', { path: name, given: v, allowed: ['YYYY-MM-DD', 'YYYY-MM-DDTHH:MM:SS±HH:MM'], message: 'not a date or date-time' });
    }
    out[name] = v;
  }
  if (q.deviation !== undefined) {
    const v = String(q.deviation);
    if (v !== 'true' && v !== 'false') throw new ContractError('bad_input', { path: 'deviation', given: v, allowed: ['true', 'false'], message: 'deviation is true or false' });
    out.deviation = v === 'true';
  }
  return out;
}
