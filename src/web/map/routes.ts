// The Map as a Fastify plugin: GET /map (?question=, ?m= the slider's month or ?date=) and GET /map/answers.json (each
// place's answers over time, for map.js). A bad question, month or date is a 400 naming the field.
import type { FastifyInstance } from 'fastify';
import { dateParam, today } from '../../app/dates.js';
import { ContractError } from '../../app/errors.js';
import type { WebAreaOptions } from '../app.js';
import { one } from '../explore/routes.js';
import { viewWords } from '../explore/parts.js';
import { ViewCache } from '../explore/viewCache.js';
import { layout, pageContext, sendPage } from '../page.js';
import { answersOverTime, MAP_FIRST_DAY, mapView, monthDate, monthIndex, type AnswersOverTime, type MapView } from './model.js';
import { loadIndexItems, loadQuestions, type MapQuestion } from './questions.js';
import { liveWords, mapMain } from './render.js';

/** Registers the Map's page and its data. */
export async function mapRoutes(app: FastifyInstance, options: WebAreaOptions): Promise<void> {
  const { corpus, engines } = options;
  const engine = engines.base;
  const questions = loadQuestions(engine);
  const items = loadIndexItems(engine);
  const views = new ViewCache<MapView>();
  const over = new ViewCache<AnswersOverTime>(16);
  const questionOf = (value: string | undefined): MapQuestion => {
    if (value === undefined || value === '') return questions[0]!;
    const q = questions.find((x) => x.id === value);
    if (!q) throw new ContractError('bad_input', { path: 'question', given: value, allowed: questions.map((x) => x.id), message: 'not a question of the map' });
    return q;
  };
  app.get('/map', { schema: { hide: true } }, async (request, reply) => {
    const ctx = pageContext(request, options.assets);
    const q = request.query as Record<string, unknown>;
    const question = questionOf(one(q['question']));
    const now = today();
    let date: string;
    const month = one(q['m']);
    if (one(q['date'])) date = dateParam('date', one(q['date']));
    else if (month !== undefined && month !== '') {
      const n = Number(month);
      if (!/^\d+$/.test(month) || n > monthIndex(now)) {
        throw new ContractError('bad_input', { path: 'm', given: month, allowed: [`0 to ${monthIndex(now)} (months since ${MAP_FIRST_DAY})`], message: 'not a month of the slider' });
      }
      date = monthDate(n, now);
    } else date = now;
    const view = views.get(`${question.id}|${date}`, () => mapView(engine, question, items, date));
    const w = viewWords(ctx, corpus);
    return sendPage(reply, ctx, layout(ctx, {
      title: ctx.t('web-map.page.title'), area: 'map', main: mapMain(w, corpus, questions, items, view, now), scripts: ['map.js'],
      footerNote: ctx.t('web-common.footer.version', { version: engine.policyVersion }),
    }));
  });
  app.get('/map/answers.json', { schema: { hide: true } }, async (request, reply) => {
    const ctx = pageContext(request, options.assets);
    const question = questionOf(one((request.query as Record<string, unknown>)['question']));
    const now = today();
    const data = over.get(`${question.id}|${now}`, () => answersOverTime(engine, question, items, MAP_FIRST_DAY, now));
    const ids = Object.keys(data.index);
    const provisions: Record<string, string> = {};
    for (const spans of Object.values(data.answers)) for (const s of spans) for (const ref of s.governing) provisions[ref] = corpus.instruments.get(corpus.provisions.get(ref)!.instrument)!.jurisdiction;
    const body = { ...liveWords(viewWords(ctx, corpus), question, ids, ids.length), from: MAP_FIRST_DAY, to: now, answers: data.answers, index: data.index, provisions };
    return reply.type('application/json; charset=utf-8').header('content-language', ctx.lang).header('vary', 'Accept-Language').header('cache-control', 'no-cache').send(JSON.stringify(body));
  });
}
