// The account pages (issue 9 §5): sign-in and sign-out for staff, supervisors and auditors; "Record this contact"
// from the guide's answer (the same checks and store as POST /v1/contacts) and its receipt; the list of records an
// account may read, filtered, with deviations marked and a CSV of the same. Every form posts with a CSRF token; the
// sign-in form is rate-limited per client address on its own route.
import rateLimit from '@fastify/rate-limit';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ContractError } from '../../app/errors.js';
import { decideScenario } from '../../app/presentation/decisions.js';
import { jurisdictionNameIn } from '../../app/presentation/words.js';
import { decodeHash, NoteVerifier, openCheckpoint, verifyInclusion } from '../../log/index.js';
import { recordAccess } from '../../store/accessLog.js';
import { contactsCsv } from '../../store/contactViews.js';
import type { ContactQuery, Receipt, StoredContact } from '../../store/contacts.js';
import type { OpenContactStore } from '../../store/open.js';
import { inScope, mayRead, recordContact, scopedQuery } from '../../store/recordContact.js';
import { checkPassword, endSession, startSession } from '../../store/signIn.js';
import { withinJurisdiction, type User } from '../../store/users.js';
import { ScenarioError } from '../../vocabulary/scenario.js';
import { languageWords } from '../../vocabulary/vocabulary.js';
import type { WebAreaOptions } from '../app.js';
import { html } from '../html.js';
import { layout, pageContext, sendPage, type PageContext } from '../page.js';
import { titled, type FieldError } from './forms.js';
import { deskTimeZone, zonedDateTime, zonedNow } from './localTime.js';
import { scenarioFields, scenarioOfFields } from './scenarioFields.js';
import { clearSessionCookie, formOf, safeNext, setSessionCookie, signInHref } from './session.js';
import { accountMain, listMain, receiptMain, recordMain, signInMain, type AccountView, type ListFilters, type RecordFormValues } from './views.js';

/** Sign-in attempts allowed per client address in a window, unless TRUSTRULES_SIGNIN_RATE_LIMIT says otherwise. */
export const DEFAULT_SIGNIN_LIMIT = 10;
/** The window of the sign-in limit: 15 minutes. */
export const SIGNIN_WINDOW_MS = 15 * 60 * 1000;
/** Most records a list page shows (the CSV has them all). */
const LIST_PAGE_LIMIT = 500;
const RECORD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The sign-in limit per address: TRUSTRULES_SIGNIN_RATE_LIMIT (a whole number ≥ 1), else the default. */
export function signInLimit(env: NodeJS.ProcessEnv = process.env): number {
  const v = env.TRUSTRULES_SIGNIN_RATE_LIMIT;
  if (v === undefined || v === '') return DEFAULT_SIGNIN_LIMIT;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`TRUSTRULES_SIGNIN_RATE_LIMIT must be a whole number ≥ 1, not ${v}`);
  return n;
}

/** Too many sign-in attempts from one address: answered with the sign-in page and 429. */
class SignInLimited extends Error {
  readonly statusCode = 429;
  constructor(readonly retryAfterSeconds: number) {
    super('too many sign-in attempts');
  }
}

/** The contact fields of the record form, mapped to the form's field ids (for the error summary). */
const fieldOfPath: Readonly<Record<string, string>> = {
  occurred_at: 'occurred-date', agent: 'agent', action: 'action', site: 'site', 'scenario.date': 'occurred-date',
};

/** Registers the account pages. */
export async function accountRoutes(app: FastifyInstance, options: WebAreaOptions): Promise<void> {
  const engine = options.engines.base;
  const zone = deskTimeZone();
  const limit = signInLimit();
  await app.register(rateLimit, { global: false });

  const open = (): OpenContactStore => {
    if (!options.contacts) throw new ContractError('unavailable', { path: '(server)', given: null, message: 'this server runs without a contact store: sign-in and records are unavailable' });
    return options.contacts;
  };
  const view = (ctx: PageContext): AccountView => ({ ctx, corpus: options.corpus, vocabulary: languageWords(ctx.lang), zone });
  const page = (reply: FastifyReply, ctx: PageContext, title: string, main: Parameters<typeof layout>[1]['main'], status = 200) =>
    sendPage(reply.header('cache-control', 'no-store'), ctx, layout(ctx, { title, area: 'home', main }), status);
  /** The signed-in account, or a redirect to sign-in that comes back here. */
  const signedIn = (request: FastifyRequest, reply: FastifyReply, ctx: PageContext): User | undefined => {
    if (request.account) return request.account;
    void reply.redirect(signInHref(ctx, request.url), 303);
    return undefined;
  };
  const signInPage = async (request: FastifyRequest, reply: FastifyReply, a: { username?: string; next?: string; errors: FieldError[]; notice?: string }, status = 200) => {
    const ctx = pageContext(request, options.assets);
    const csrf = reply.generateCsrf();
    return page(reply, ctx, titled(ctx, ctx.t('web-account.sign_in.title'), a.errors), signInMain(view(ctx), { csrf, ...a }), status);
  };

  // CSRF refusals and the sign-in limit get pages of their own; everything else goes to the web app's error page.
  app.setErrorHandler(async (err: FastifyError, request, reply) => {
    if (err instanceof SignInLimited) {
      const ctx = pageContext(request, options.assets);
      void reply.header('retry-after', String(err.retryAfterSeconds));
      return signInPage(request, reply, { errors: [{ field: 'username', message: ctx.t('web-account.sign_in.limited', { minutes: Math.max(1, Math.ceil(err.retryAfterSeconds / 60)) }) }] }, 429);
    }
    if (err.code === 'FST_CSRF_INVALID_TOKEN' || err.code === 'FST_CSRF_MISSING_SECRET') {
      const ctx = pageContext(request, options.assets);
      const main = layout(ctx, {
        title: ctx.t('web-account.csrf.title'), area: 'home',
        main: html`<div class="usa-alert usa-alert--error" role="alert"><div class="usa-alert__body"><h1 class="usa-alert__heading">${ctx.t('web-account.csrf.title')}</h1><p class="usa-alert__text">${ctx.t('web-account.csrf.text')}</p></div></div>
<p><a href="${ctx.href(request.url.split('?')[0] === '/record' ? '/guide' : request.url.split('?')[0] === '/sign-out' ? '/account' : '/sign-in')}">${ctx.t('web-account.csrf.back')}</a></p>`,
      });
      return sendPage(reply.header('cache-control', 'no-store'), ctx, main, 403);
    }
    throw err;
  });

  // ---- Sign-in and sign-out
  app.get('/sign-in', { schema: { hide: true } }, async (request, reply) => {
    const ctx = pageContext(request, options.assets);
    const next = safeNext(ctx.query.get('next') ?? undefined);
    if (request.account) return reply.redirect(next ?? ctx.href('/account'), 303);
    const notice = ctx.query.get('signed_out') === '1' ? ctx.t('web-account.sign_in.signed_out') : undefined;
    return signInPage(request, reply, { ...(next ? { next } : {}), errors: [], ...(notice ? { notice } : {}) });
  });

  app.post('/sign-in', {
    schema: { hide: true },
    preHandler: app.csrfProtection,
    config: {
      rateLimit: {
        max: limit, timeWindow: SIGNIN_WINDOW_MS,
        keyGenerator: (request: FastifyRequest) => `sign-in:${request.ip}`,
        errorResponseBuilder: (_request: FastifyRequest, context: { ttl: number }) => new SignInLimited(Math.ceil(context.ttl / 1000)),
      },
    },
  }, async (request, reply) => {
    const ctx = pageContext(request, options.assets);
    const form = formOf(request);
    const username = form.get('username') ?? '';
    const password = form.get('password') ?? '';
    const next = safeNext(form.get('next'));
    const errors: FieldError[] = [];
    if (!username.trim()) errors.push({ field: 'username', message: ctx.t('web-account.sign_in.username_missing') });
    if (!password) errors.push({ field: 'password', message: ctx.t('web-account.sign_in.password_missing') });
    if (errors.length) return signInPage(request, reply, { username, ...(next ? { next } : {}), errors }, 400);
    const { db } = open();
    const user = await checkPassword(db, username, password);
    if (!user) {
      // One message for an unknown name and a wrong password: the page tells nobody which accounts exist.
      request.log.info({ signIn: 'refused' }, 'sign-in refused');
      return signInPage(request, reply, { username, ...(next ? { next } : {}), errors: [{ field: 'username', message: ctx.t('web-account.sign_in.failed') }] }, 401);
    }
    const session = await startSession(db, user.id);
    setSessionCookie(reply, session.token, session.expiresAt);
    return reply.redirect(next ?? ctx.href('/account'), 303);
  });

  app.post('/sign-out', { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
    const ctx = pageContext(request, options.assets);
    const token = request.cookies['trustrules_session'];
    if (token && options.contacts) await endSession(options.contacts.db, token);
    clearSessionCookie(reply);
    return reply.redirect(ctx.href('/sign-in', { signed_out: '1' }), 303);
  });

  app.get('/account', { schema: { hide: true } }, async (request, reply) => {
    const ctx = pageContext(request, options.assets);
    const user = signedIn(request, reply, ctx);
    if (!user) return reply;
    return page(reply, ctx, ctx.t('web-account.account.title'), accountMain(view(ctx), user, reply.generateCsrf()));
  });

  // ---- Record this contact
  /** The scenario of the form's (or query's) fields, decided on `date`; a bad one is the contract's 400 naming the field. */
  const carried = (fields: ReadonlyMap<string, string>, date: string) => {
    const scenario = scenarioOfFields(fields, engine.vocabulary);
    try {
      return { scenario, decided: engine.codec.parse({ ...scenario, date }) };
    } catch (e) {
      if (e instanceof ScenarioError) throw new ContractError('bad_input', e.error);
      throw e;
    }
  };
  const recordPage = (request: FastifyRequest, reply: FastifyReply, ctx: PageContext, user: User, fields: ReadonlyMap<string, string>, values: RecordFormValues, errors: FieldError[], status = 200) => {
    const date = /^\d{4}-\d{2}-\d{2}$/.test(values.date) ? values.date : zonedNow(zone).date;
    const { scenario, decided } = carried(fields, date);
    if (!inScope(user, decided.jurisdiction, decided.agency)) {
      throw new ContractError('forbidden', { path: 'actor.jurisdiction', given: decided.jurisdiction, allowed: [user.jurisdiction], message: ctx.t('web-account.record.out_of_scope', { place: jurisdictionNameIn(options.corpus, user.jurisdiction, ctx.lang) }) });
    }
    const decision = decideScenario(engine, decided, ctx.lang);
    const main = recordMain(view(ctx), { user, csrf: reply.generateCsrf(), scenario, fields: scenarioFields(scenario), decision, values, errors });
    return page(reply, ctx, titled(ctx, ctx.t('web-account.record.title'), errors), main, status);
  };

  app.get('/record', { schema: { hide: true } }, async (request, reply) => {
    const ctx = pageContext(request, options.assets);
    const user = signedIn(request, reply, ctx);
    if (!user) return reply;
    const fields = new Map([...ctx.query].filter(([k]) => k !== 'lang'));
    const now = zonedNow(zone);
    const guideDate = fields.get('date');
    const date = guideDate && /^\d{4}-\d{2}-\d{2}$/.test(guideDate) && guideDate <= now.date ? guideDate : now.date;
    return recordPage(request, reply, ctx, user, fields, { date, time: now.time }, []);
  });

  app.post('/record', { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
    const ctx = pageContext(request, options.assets);
    const user = signedIn(request, reply, ctx);
    if (!user) return reply;
    const form = formOf(request);
    const values: RecordFormValues = {
      date: form.get('occurred_date') ?? '', time: form.get('occurred_time') ?? '',
      ...(form.get('agent') ? { agent: form.get('agent')! } : {}),
      ...(form.get('action') ? { action: form.get('action')! } : {}),
      ...(form.get('site') ? { site: form.get('site')!.trim() } : {}),
    };
    const errors: FieldError[] = [];
    const occurredAt = zonedDateTime(values.date, values.time, zone);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(values.date) || (occurredAt === null && /^\d{2}:\d{2}/.test(values.time))) errors.push({ field: 'occurred-date', message: ctx.t('web-account.record.error.date') });
    else if (occurredAt === null) errors.push({ field: 'occurred-time', message: ctx.t('web-account.record.error.time') });
    // Every unanswered question at once (a form says all that is missing); the values themselves are the API's to check.
    if (!values.agent) errors.push({ field: 'agent', message: ctx.t('web-account.record.error.agent') });
    if (!values.action) errors.push({ field: 'action', message: ctx.t('web-account.record.error.action') });
    const { scenario } = carried(form, occurredAt ? values.date : zonedNow(zone).date);
    const body = {
      scenario, occurred_at: occurredAt ?? '', agent: values.agent, action: values.action,
      ...(values.site ? { site: values.site } : {}),
    };
    // The same checks as the API (store/recordContact.ts): what they refuse becomes the form's errors, field by field.
    const { store } = open();
    let receipt: Receipt | undefined;
    if (!errors.length) {
      try {
        receipt = await recordContact(engine, store, user, body);
      } catch (e) {
        if (!(e instanceof ContractError) || e.httpStatus !== 400) throw e;
        const path = e.body().error.path;
        const field = fieldOfPath[path];
        if (!field) throw e;
        errors.push({ field, message: ctx.t(`web-account.record.error.${field === 'occurred-date' ? (path === 'occurred_at' ? 'future' : 'date') : field}`) });
      }
    }
    if (!receipt) return recordPage(request, reply, ctx, user, form, values, errors, 400);
    return reply.redirect(ctx.href(`/records/${receipt.id}`, { size: String(receiptSize(receipt)), recorded: '1' }), 303);
  });

  // ---- Receipts
  /** The receipt of a stored record as of tree size `size` (one the log signed a checkpoint for), checked here. */
  const receiptOf = async (found: StoredContact, size: number | undefined): Promise<{ receipt: Receipt; verified: boolean }> => {
    const { store, db } = open();
    const head = await store.head();
    const at = size ?? head.size;
    const [row] = at === head.size ? [{ note: head.checkpoint }] : await db.query<{ note: string }>('SELECT note FROM log_checkpoints WHERE size = $1', [at]);
    if (!row || at <= found.index || at > head.size) throw new ContractError('bad_input', { path: 'size', given: String(size), allowed: [`a tree size the log signed, from ${found.index + 1} to ${head.size}`], message: 'no signed checkpoint of this size holds the record' });
    const { leafHash, proof } = await store.inclusion(found.index, at);
    const encode = (h: Uint8Array) => Buffer.from(h).toString('base64');
    if (!('scenario' in found.record)) throw new ContractError('not_found', { path: 'id', given: found.id, message: 'this record was deleted by retention; its leaf remains' });
    const r = found.record;
    const receipt: Receipt = {
      id: r.id, index: found.index, decision: r.decision, deviation: r.deviation, checkpoint: row.note,
      inclusion_proof: proof.map(encode), leaf_hash: encode(leafHash),
    };
    let verified = false;
    try {
      const cp = openCheckpoint(row.note, NoteVerifier.parse(store.signer.verifierKey), store.signer.origin);
      verified = cp.size === at && verifyInclusion(found.index, at, decodeHash(receipt.leaf_hash), receipt.inclusion_proof.map((h) => decodeHash(h)), cp.root);
    } catch {
      verified = false;
    }
    return { receipt, verified };
  };
  const readable = async (request: FastifyRequest, user: User): Promise<StoredContact> => {
    const { id } = request.params as { id: string };
    const { store, db } = open();
    const found = RECORD_ID.test(id) ? await store.get(id) : null;
    if (!found) throw new ContractError('not_found', { path: 'id', given: id, message: 'no contact record with this id' });
    if (!mayRead(user, found)) throw new ContractError('forbidden', { path: 'id', given: id, message: 'this account may not read this record' });
    await recordAccess(db, { userId: user.id, action: 'get', query: { id, via: 'web' }, results: 1 });
    return found;
  };
  const sizeParam = (ctx: PageContext): number | undefined => {
    const s = ctx.query.get('size');
    if (s === null) return undefined;
    if (!/^[1-9][0-9]{0,15}$/.test(s)) throw new ContractError('bad_input', { path: 'size', given: s, allowed: ['a whole number ≥ 1'], message: 'size is a tree size' });
    return Number(s);
  };

  app.get('/records/:id', { schema: { hide: true } }, async (request, reply) => {
    const ctx = pageContext(request, options.assets);
    const user = signedIn(request, reply, ctx);
    if (!user) return reply;
    const found = await readable(request, user);
    const size = sizeParam(ctx);
    const { receipt, verified } = await receiptOf(found, size);
    const downloadHref = ctx.href(`/records/${receipt.id}/receipt.json`, { size: String(receiptSize(receipt)) });
    const main = receiptMain(view(ctx), {
      user, csrf: reply.generateCsrf(), record: found.record as Extract<StoredContact['record'], { scenario: unknown }>, receipt, verified, downloadHref,
      justRecorded: ctx.query.get('recorded') === '1',
    });
    return page(reply, ctx, ctx.t('web-account.receipt.title'), main);
  });

  app.get('/records/:id/receipt.json', { schema: { hide: true } }, async (request, reply) => {
    const ctx = pageContext(request, options.assets);
    const user = signedIn(request, reply, ctx);
    if (!user) return reply;
    const found = await readable(request, user);
    const { receipt } = await receiptOf(found, sizeParam(ctx));
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="trustrules-receipt-${receipt.index}.json"`)
      .type('application/json; charset=utf-8')
      .send(`${JSON.stringify(receipt, null, 2)}\n`);
  });

  // ---- The records an account may read
  const listRequest = (ctx: PageContext, user: User): { filters: ListFilters; query: ContactQuery; errors: FieldError[] } => {
    const errors: FieldError[] = [];
    const date = (name: 'from' | 'to') => {
      const v = ctx.query.get(name) ?? '';
      if (v === '') return undefined;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v))) {
        errors.push({ field: name, message: ctx.t(`web-account.list.error.${name}`) });
        return undefined;
      }
      return v;
    };
    const jurisdiction = ctx.query.get('jurisdiction') || undefined;
    if (jurisdiction !== undefined && !options.corpus.jurisdictions.has(jurisdiction)) {
      throw new ContractError('bad_input', { path: 'jurisdiction', given: jurisdiction, allowed: placesOf(user), message: 'not a jurisdiction this account reads' });
    }
    const from = date('from');
    const to = date('to');
    const filters: ListFilters = { ...(jurisdiction ? { jurisdiction } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}), deviation: ctx.query.get('deviation') === 'true' };
    const query = scopedQuery(user, { ...(jurisdiction ? { jurisdiction } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}), ...(filters.deviation ? { deviation: true } : {}) });
    return { filters, query, errors };
  };
  const placesOf = (user: User): string[] => (user.role === 'staff' ? [user.jurisdiction]
    : [...options.corpus.jurisdictions.keys()].filter((j) => withinJurisdiction(user.jurisdiction, j)).sort((a, b) => (a === user.jurisdiction ? -1 : b === user.jurisdiction ? 1 : a.localeCompare(b))));

  app.get('/records', { schema: { hide: true } }, async (request, reply) => {
    const ctx = pageContext(request, options.assets);
    const user = signedIn(request, reply, ctx);
    if (!user) return reply;
    const { filters, query, errors } = listRequest(ctx, user);
    const { store, db } = open();
    const list = errors.length ? [] : await store.list(query, LIST_PAGE_LIMIT + 1);
    if (!errors.length) await recordAccess(db, { userId: user.id, action: 'list', query: { ...query, via: 'web' }, results: list.length });
    const csvQuery = Object.fromEntries([...ctx.query].filter(([k]) => ['jurisdiction', 'from', 'to', 'deviation'].includes(k)));
    const main = listMain(view(ctx), {
      user, csrf: reply.generateCsrf(), filters, places: placesOf(user), list: list.slice(0, LIST_PAGE_LIMIT),
      csvHref: ctx.href('/records.csv', csvQuery), errors, limited: list.length > LIST_PAGE_LIMIT,
    });
    return page(reply, ctx, titled(ctx, ctx.t('web-account.list.title'), errors), main, errors.length ? 400 : 200);
  });

  app.get('/records.csv', { schema: { hide: true } }, async (request, reply) => {
    const ctx = pageContext(request, options.assets);
    const user = signedIn(request, reply, ctx);
    if (!user) return reply;
    const { query, errors } = listRequest(ctx, user);
    if (errors.length) throw new ContractError('bad_input', { path: errors[0]!.field, given: ctx.query.get(errors[0]!.field), allowed: ['YYYY-MM-DD'], message: 'not a date' });
    const { store, db } = open();
    const list = await store.list(query);
    await recordAccess(db, { userId: user.id, action: 'export', query: { ...query, via: 'web' }, results: list.length });
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="trustrules-records-${zonedNow(zone).date}.csv"`)
      .type('text/csv; charset=utf-8')
      .send(contactsCsv(list));
  });
}

/** The tree size of a receipt's checkpoint. */
function receiptSize(receipt: Receipt): number {
  return Number(receipt.checkpoint.split('\n')[1]);
}
