// The guide as one function of its address, browser-safe: the answers read from the query (each checked against
// the vocabulary and the corpus; a bad one is a ContractError naming it), the next step from the engine, and the
// page. The server (routes.ts) and the offline service worker (offline/) both render with it.
import { dateParam } from '../../app/dates.js';
import { ContractError, unknownJurisdiction } from '../../app/errors.js';
import type { Lang } from '../../app/presentation/catalog.js';
import type { PresentationWords } from '../../app/presentation/words.js';
import type { Engine } from '../../engine/engine.js';
import type { VocabularyWords } from '../../vocabulary/words.js';
import { layout, type PageContext } from '../layout.js';
import type { Html } from '../html.js';
import { agenciesOf, nextStep, type GuideAnswers } from './flow.js';
import { answerPage, guidePlaces, questionPage, type AnswerExtension, type GuideView } from './pages.js';
import { searchJurisdictions } from './search.js';

/** Query keys the guide reads besides the facts. */
const controlKeys = new Set(['lang', 'date', 'q', 'step', 'office', 'actor.jurisdiction', 'actor.agency', 'request']);

/** The answers in a query, each checked; throws a ContractError naming the first bad one. */
export function readAnswers(engine: Engine, query: URLSearchParams, todayIs: string): GuideAnswers {
  const vocab = engine.vocabulary;
  const one = (key: string): string | undefined => {
    const all = query.getAll(key).filter((v) => v !== '');
    return all.length ? all[all.length - 1] : undefined;
  };
  const date = dateParam('date', one('date'), todayIs);
  const jurisdiction = one('actor.jurisdiction');
  if (jurisdiction !== undefined && !engine.corpus.jurisdictions.has(jurisdiction)) throw unknownJurisdiction(engine.corpus, 'actor.jurisdiction', jurisdiction);
  let agency = one('actor.agency');
  if (agency !== undefined) {
    if (!vocab.agencyIds.includes(agency)) throw new ContractError('bad_input', { path: 'actor.agency', given: agency, allowed: vocab.agencyIds, message: 'not an agency of the vocabulary' });
    if (!jurisdiction) throw new ContractError('bad_input', { path: 'actor.agency', given: agency, message: 'answer actor.jurisdiction first' });
  } else if (jurisdiction) {
    // A search that named an office ("… Public Libraries") answers the office question when this place has that office.
    const office = one('office');
    if (office && agenciesOf(engine, engine.corpus.jurisdictions.get(jurisdiction)!).agencies.includes(office)) agency = office;
  }
  const request = one('request');
  if (request !== undefined && !vocab.requestIds.includes(request)) {
    throw new ContractError('bad_input', { path: 'request', given: request, allowed: vocab.requestIds, message: 'not a request of the vocabulary' });
  }
  const facts = new Map<string, string>();
  for (const key of new Set(query.keys())) {
    if (controlKeys.has(key)) continue;
    const fact = vocab.fact(key);
    if (!fact) {
      throw new ContractError('bad_input', { path: key, given: one(key) ?? '', allowed: [...controlKeys, ...vocab.facts.map((f) => f.id)], message: 'not a question of the guide' });
    }
    const value = one(key);
    if (value === undefined) continue;
    const allowed = ['unknown', ...fact.values.map((v) => v.id)];
    if (!allowed.includes(value)) throw new ContractError('bad_input', { path: key, given: value, allowed, message: 'not an answer to this question' });
    facts.set(key, value);
  }
  return { date, facts, ...(jurisdiction ? { jurisdiction } : {}), ...(agency ? { agency } : {}), ...(request ? { request } : {}) };
}

/** What the guide is rendered from: the engine, each language's words, today's date, extensions of the answer. */
export interface GuideSources {
  readonly engine: Engine;
  vocabulary(lang: Lang): VocabularyWords;
  words(lang: Lang): PresentationWords;
  readonly today: string;
  readonly answerExtensions?: readonly AnswerExtension[];
}

/** The guide page for an address: the answers it carries and the whole document. */
export function renderGuide(ctx: PageContext, src: GuideSources, remembered?: string): { answers: GuideAnswers; page: Html } {
  const { engine } = src;
  let answers = readAnswers(engine, ctx.query, src.today);
  let step = nextStep(engine, answers);
  // A place with a single office needs no office question.
  if (step.kind === 'agency' && step.agencies.length === 1) {
    answers = { ...answers, agency: step.agencies[0]! };
    step = nextStep(engine, answers);
  }
  const words = src.words(ctx.lang);
  const view: GuideView = { ctx, engine, vocabulary: src.vocabulary(ctx.lang), words, today: src.today };
  let page;
  if (step.kind === 'answer') {
    const english = ctx.lang === 'en' ? undefined : engine.decide(step.scenario, src.words('en'));
    page = answerPage(view, answers, step.scenario, engine.decide(step.scenario, words), src.answerExtensions ?? [], english);
  } else {
    const asked = ctx.query.get('step');
    const name = step.kind === 'jurisdiction' ? 'actor.jurisdiction' : step.kind === 'agency' ? 'actor.agency' : step.kind === 'request' ? 'request' : step.fact.id;
    const q = ctx.query.get('q')?.trim();
    const known = remembered && guidePlaces(engine).some((j) => j.id === remembered) ? remembered : undefined;
    const places = step.kind === 'jurisdiction'
      ? {
        ...(q ? { search: { query: q, result: searchJurisdictions(q, guidePlaces(engine), engine.vocabulary.agencyIds, ctx.catalog) } } : {}),
        ...(known ? { remembered: known } : {}),
      }
      : undefined;
    page = questionPage(view, answers, step, { error: asked === name, ...(places ? { places } : {}) });
  }
  return {
    answers,
    page: layout(ctx, {
      title: `${page.title} · ${ctx.t('web-guide.title')}`, area: 'guide', main: page.main, scripts: ['guide.js'],
      footerNote: ctx.t('web-common.footer.version', { version: engine.policyVersion }),
    }),
  };
}
