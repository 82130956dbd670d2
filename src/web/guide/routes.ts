// GET /guide on the server: the guide rendered for the request's address (guide.ts), the place chosen remembered on
// the device in a cookie (so the next visit starts with it selected), and the data the offline guide needs.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { today } from '../../app/dates.js';
import { wordsFor } from '../../app/presentation/decisions.js';
import { languages, readCatalogSources } from '../../app/presentation/messages.js';
import { languageWords, packageRoot } from '../../vocabulary/vocabulary.js';
import type { WebAreaOptions } from '../app.js';
import { ContractError } from '../../app/errors.js';
import { assetsDir } from '../assets.js';
import { corpusSnapshot, type OfflineData } from '../offline/snapshot.js';
import { pageContext, sendPage } from '../page.js';
import { renderGuide } from './guide.js';

/** The cookie that remembers, on this device, where the person said they work. */
export const placeCookie = 'trustrules_place';


/** The catalog areas the guide's pages word with (offline too). */
export const guideCatalogAreas = ['common', 'decision', 'web-common', 'web-guide'] as const;

/** The offline guide's data for this server's engine (its corpus, so offline answers carry the same policy version). */
export function offlineData(options: WebAreaOptions): OfflineData {
  const engine = options.engines.base;
  const catalogs = Object.fromEntries(languages.map((lang) => {
    const all = readCatalogSources(lang);
    return [lang, Object.fromEntries(guideCatalogAreas.map((area) => [area, all[area] ?? '']))];
  })) as OfflineData['catalogs'];
  const vocabularyTranslations = Object.fromEntries(languages.filter((l) => l !== 'en')
    .map((lang) => [lang, readFileSync(path.join(packageRoot, 'vocabulary', `${lang}.yaml`), 'utf8')]));
  return {
    policyVersion: engine.policyVersion, vocabulary: engine.vocabulary.source, vocabularyTranslations, catalogs,
    corpus: corpusSnapshot(engine.corpus), assets: options.assets.manifest,
  };
}

/** The place remembered by the cookie. */
function rememberedPlace(request: FastifyRequest): string | undefined {
  return (request as FastifyRequest & { cookies?: Record<string, string | undefined> }).cookies?.[placeCookie];
}

/** Registers GET /guide. */
export async function guideRoutes(app: FastifyInstance, options: WebAreaOptions): Promise<void> {
  const engine = options.engines.base;
  app.get('/guide', { schema: { hide: true } }, async (request, reply) => {
    const ctx = pageContext(request, options.assets);
    // Only a page that may be an answer (a request was chosen) needs its record slot, and so who is signed in.
    const answerExtensions = ctx.query.has('request')
      ? (await Promise.all(options.answerExtensions.map((slot) => slot(request, reply)))).filter((e) => e !== undefined)
      : [];
    const { answers, page } = renderGuide(ctx, {
      engine, vocabulary: languageWords, words: (lang) => wordsFor(engine.corpus, lang), today: today(), answerExtensions,
    }, rememberedPlace(request));
    // A page with a signed-in account's form (its CSRF token) is never stored by a cache.
    if (request.account && answerExtensions.length) void reply.header('cache-control', 'private, no-store');
    if (answers.jurisdiction) {
      void reply.setCookie(placeCookie, answers.jurisdiction, {
        path: '/', maxAge: 365 * 24 * 3600, sameSite: 'lax', httpOnly: true, secure: request.protocol === 'https',
      });
    }
    return sendPage(reply.header('x-policy-version', engine.policyVersion), ctx, page);
  });

  // What the service worker renders the guide from when the network is gone; made once, revalidated by the worker.
  let data: string | undefined;
  app.get('/guide/offline.json', { schema: { hide: true } }, async (_request, reply) => {
    data ??= JSON.stringify(offlineData(options));
    return reply.type('application/json; charset=utf-8').header('cache-control', 'no-cache').header('x-policy-version', engine.policyVersion).send(data);
  });

  await serviceWorkerRoute(app);
}

/**
 * Registers GET /sw.js: the service worker, at the root so it may serve /guide; never cached by HTTP (the browser checks
 * it for updates). Read once at start, as the assets' manifest is: a rebuild under a running server no longer makes
 * it a 500, and the worker served belongs to the build the pages link.
 */
export async function serviceWorkerRoute(app: FastifyInstance, dir: string = assetsDir): Promise<void> {
  const file = path.join(dir, 'sw.js');
  if (!existsSync(file)) {
    throw new ContractError('bad_config', { path: 'web assets', given: file, message: 'the web assets are not built: run `npm run build` (or node scripts/build-web.mjs)' });
  }
  const worker = readFileSync(file);
  app.get('/sw.js', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').header('service-worker-allowed', '/').send(worker));
}
