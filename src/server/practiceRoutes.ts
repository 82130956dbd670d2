// The /practice page as a Fastify plugin: ICE's Maryland detainers set against the rules in force, per facility,
// server-rendered (no JavaScript needed), in the language of ?lang= or Accept-Language.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { acceptedLanguage, languageParam } from '../app/config.js';
import { languages } from '../app/presentation/catalog.js';
import { messages } from '../app/presentation/messages.js';
import type { Engine } from '../engine/engine.js';
import { PRACTICE_STYLE, practiceData, practicePage, type PracticeData } from '../replay/page.js';
import { jsonSchemaOf } from './schemas.js';

/** What the /practice page needs: the engine to replay against. */
export interface PracticeRoutesOptions {
  /** The engine the page's replay decides with (the server's base engine). */
  readonly engine: () => Engine;
}

/**
 * The page's query: its language. Other parameters are let through, as today: a page is linked from elsewhere with
 * what the linking site adds (utm_source=…), and a reader should get the page, not a JSON refusal.
 */
const practiceQuery = z.looseObject({ lang: z.enum(languages).optional().describe('en or es (default: Accept-Language, else en)') });

/** Registers GET /practice (and its style sheet). The bundled data is replayed on the first request and kept. */
export async function practiceRoutes(app: FastifyInstance, options: PracticeRoutesOptions): Promise<void> {
  let data: Promise<PracticeData> | undefined;
  app.get('/practice/style.css', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(PRACTICE_STYLE));
  app.get('/practice', {
    schema: {
      tags: ['pages'],
      summary: 'Policy against practice: ICE detainers in Maryland against the rules in force (HTML)',
      querystring: jsonSchemaOf(practiceQuery, 'input'),
      response: { 200: { description: 'The page', content: { 'text/html': { schema: { type: 'string' } } } } },
    },
  }, async (request, reply) => {
    const query = request.query as { lang?: string };
    const lang = query.lang !== undefined ? languageParam('lang', query.lang) : acceptedLanguage(request.headers['accept-language']);
    data ??= practiceData(options.engine());
    const html = practicePage(await data, lang, messages(lang));
    return reply.type('text/html; charset=utf-8').header('content-language', lang).header('vary', 'Accept-Language').send(html);
  });
}
