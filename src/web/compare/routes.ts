// Compare as a Fastify plugin: GET /compare?j=…&j=…&date=… (two to four places), ?j=…&date=…&vs=… (two dates) or
// ?j=…&date=…&draft=… (a draft against the law). With fewer than two places and no second date or draft it shows the
// forms only; a bad parameter is a 400 page naming it.
import type { FastifyInstance } from 'fastify';
import { today } from '../../app/dates.js';
import { dateParam } from '../../app/dates.js';
import { unknownJurisdiction } from '../../app/errors.js';
import type { WebAreaOptions } from '../app.js';
import { one } from '../explore/routes.js';
import { viewWords } from '../explore/parts.js';
import { ViewCache } from '../explore/viewCache.js';
import { layout, pageContext, sendPage } from '../page.js';
import { compareSides, compareView, draftsFor, type CompareQuery, type CompareView } from './model.js';
import { compareMain } from './render.js';

/** Every value of a query parameter, empty ones dropped (an unchosen optional place). */
function all(value: unknown): string[] {
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === 'string' && v !== '');
}

/** Registers the Compare page. */
export async function compareRoutes(app: FastifyInstance, options: WebAreaOptions): Promise<void> {
  const { corpus, engines } = options;
  const views = new ViewCache<CompareView>(64);
  app.get('/compare', { schema: { hide: true } }, async (request, reply) => {
    const ctx = pageContext(request, options.assets);
    const q = request.query as Record<string, unknown>;
    const query: CompareQuery = { j: all(q['j']).slice(0, 8), date: one(q['date']), vs: one(q['vs']) || undefined, draft: one(q['draft']) || undefined };
    const now = today();
    let view: CompareView | undefined;
    let date: string;
    if (query.j.length >= 2 || query.vs || query.draft) {
      const sides = compareSides(corpus, engines, query, now);
      date = sides.date;
      view = views.get(JSON.stringify([sides.mode, sides.sides.map((s) => [s.jurisdiction, s.date]), query.draft ?? null]), () => compareView(sides.mode, sides.date, sides.sides));
    } else {
      for (const j of query.j) if (!corpus.jurisdictions.has(j)) throw unknownJurisdiction(corpus, 'j', j);
      date = dateParam('date', query.date, now);
    }
    const drafts = query.j[0] ? draftsFor(corpus, engines, query.j[0], date) : draftsFor(corpus, engines, undefined, date);
    const w = viewWords(ctx, corpus);
    return sendPage(reply, ctx, layout(ctx, {
      title: ctx.t('web-compare.page.title'), area: 'compare', main: compareMain(w, corpus, query, date, drafts, view),
      footerNote: ctx.t('web-common.footer.version', { version: engines.base.policyVersion }),
    }));
  });
}
