// The Explorer's pages as a Fastify plugin: GET /explore (the tree, with ?q= search) and GET /explore/<jurisdiction id>
// (what binds its staff on ?date=, today by default). A bad id or date is a 400 page naming the field.
import type { FastifyInstance } from 'fastify';
import { dateParam, today } from '../../app/dates.js';
import { ContractError, unknownJurisdiction } from '../../app/errors.js';
import type { WebAreaOptions } from '../app.js';
import { layout, pageContext, sendPage } from '../page.js';
import { jurisdictionTree, jurisdictionView, searchJurisdictions } from './model.js';
import { viewWords } from './parts.js';
import { jurisdictionMain, treeMain } from './render.js';
import { ViewCache } from './viewCache.js';
import type { Html } from '../html.js';

/** One value of a query parameter (the last when repeated). */
export function one(value: unknown): string | undefined {
  const v = Array.isArray(value) ? value[value.length - 1] : value;
  return typeof v === 'string' ? v : undefined;
}

/** Registers the Explorer's pages. */
export async function exploreRoutes(app: FastifyInstance, options: WebAreaOptions): Promise<void> {
  const { corpus, engines } = options;
  // Made on the first /explore request: it reads every folder, which a corpus opened lazily would otherwise do at start.
  let tree: ReturnType<typeof jurisdictionTree> | undefined;
  // A jurisdiction's page is a pure function of its language, id, date and today: rendered once, then served from memory.
  const mains = new ViewCache<Html>(256);
  app.get('/explore', { schema: { hide: true } }, async (request, reply) => {
    const ctx = pageContext(request, options.assets);
    const q = request.query as Record<string, unknown>;
    const query = (one(q['q']) ?? '').slice(0, 100);
    const date = one(q['date']) ? dateParam('date', one(q['date'])) : undefined;
    const w = viewWords(ctx, corpus);
    const main = treeMain(w, (tree ??= jurisdictionTree(corpus)), query, query.trim() ? searchJurisdictions(corpus, query) : undefined, date);
    return sendPage(reply, ctx, layout(ctx, { title: ctx.t('web-explore.tree.title'), area: 'explore', main, scripts: ['explore.js'] }));
  });
  app.get('/explore/*', { schema: { hide: true } }, async (request, reply) => {
    const ctx = pageContext(request, options.assets);
    const id = decodeURIComponent((request.params as { '*': string })['*']).replace(/\/+$/, '');
    // No such jurisdiction is no such page: 404, with the ids that are (and the nearest) on the error page.
    if (!corpus.jurisdictions.has(id)) throw new ContractError('not_found', unknownJurisdiction(corpus, 'jurisdiction', id).error);
    const date = dateParam('date', one((request.query as Record<string, unknown>)['date']), today());
    const w = viewWords(ctx, corpus);
    const now = today();
    const main = mains.get(`${ctx.lang}|${ctx.langInQuery}|${id}|${date}|${now}`, () => jurisdictionMain(w, corpus, jurisdictionView(engines, id, date), now));
    return sendPage(reply, ctx, layout(ctx, {
      title: ctx.t('web-explore.page.title', { name: w.name(id), date: w.decisions.date(date) }), area: 'explore', main,
      footerNote: ctx.t('web-common.footer.version', { version: engines.base.policyVersion }),
    }));
  });
}
