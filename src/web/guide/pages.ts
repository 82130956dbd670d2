// The guide's pages as HTML: one question per page (a fieldset whose legend is the question, radios named by the fact
// id, "I don't know" as `unknown`, a submit button), the answers so far with links to change them, and the answer
// (data-outcome, the verdict in one line, what to say and do, whom to call, the clause with its source, what would
// change it). Every previous answer rides along as a hidden input, so the whole guide works by GET without script.
import type { Decision, FactValue, Outcome } from '../../engine/decision.js';
import type { Engine } from '../../engine/engine.js';
import { jurisdictionNameIn, type PresentationWords } from '../../app/presentation/words.js';
import type { Jurisdiction } from '../../policy/corpus.js';
import type { Fact } from '../../vocabulary/model.js';
import type { ScenarioJson } from '../../vocabulary/scenario.js';
import type { VocabularyWords } from '../../vocabulary/words.js';
import { html, type Html } from '../html.js';
import type { PageContext } from '../page.js';
import type { GuideAnswers, GuideStep } from './flow.js';
import type { SearchResult } from './search.js';

/** What the guide's pages are rendered with. */
export interface GuideView {
  readonly ctx: PageContext;
  readonly engine: Engine;
  readonly vocabulary: VocabularyWords;
  readonly words: PresentationWords;
  /** Today's date, the guide's default (`?date=` overrides it). */
  readonly today: string;
}

/** An extension of the answer page (recording the contact, for instance): markup for the decided scenario. */
export type AnswerExtension = (view: GuideView, decided: { scenario: ScenarioJson; decision: Decision }) => Html;

/** The rendered guide page: title and main. */
export interface GuideHtml {
  readonly title: string;
  readonly main: Html;
}

/** The query's answers in order, as hidden inputs and as the pairs of links (the date and language included). */
function answerPairs(view: GuideView, a: GuideAnswers): [string, string][] {
  const pairs: [string, string][] = [];
  if (a.date !== view.today) pairs.push(['date', a.date]);
  if (a.jurisdiction) pairs.push(['actor.jurisdiction', a.jurisdiction]);
  if (a.agency) pairs.push(['actor.agency', a.agency]);
  if (a.request) pairs.push(['request', a.request]);
  for (const [k, v] of a.facts) pairs.push([k, v]);
  return pairs;
}

/** A guide address with these answers (and the page's language when it was chosen by `?lang=`). */
export function guideHref(view: GuideView, pairs: readonly [string, string][]): string {
  const q = new URLSearchParams(pairs as [string, string][]);
  if (view.ctx.langInQuery) q.set('lang', view.ctx.lang);
  const s = q.toString();
  return s ? `/guide?${s}` : '/guide';
}

const hiddenInputs = (view: GuideView, pairs: readonly [string, string][]) => [
  ...pairs.map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`),
  view.ctx.langInQuery ? html`<input type="hidden" name="lang" value="${view.ctx.lang}">` : '',
];

/** A place's name as the guide lists it, in the page's language: the State's own words, a city with its county. */
export function placeName(view: GuideView, j: Jurisdiction): string {
  if (j.kind === 'state') return view.ctx.t('web-guide.jurisdiction.state');
  const nameOf = (id: string) => jurisdictionNameIn(view.engine.corpus, id, view.ctx.lang);
  if (j.kind === 'city' && j.parent) {
    const county = view.engine.corpus.jurisdictions.get(j.parent);
    if (county && county.kind === 'county') return view.ctx.t('web-guide.jurisdiction.in_county', { name: nameOf(j.id), county: nameOf(county.id) });
  }
  return nameOf(j.id);
}

/** The places the guide offers: Maryland's State, then each county (Baltimore City with them) followed by its towns. */
export function guidePlaces(engine: Engine): Jurisdiction[] {
  const all = [...engine.corpus.jurisdictions.values()].filter((j) => j.id === 'us/md' || j.id.startsWith('us/md/'));
  const counties = all.filter((j) => j.parent === 'us/md').sort((x, y) => x.name.localeCompare(y.name));
  const out = all.filter((j) => j.id === 'us/md');
  for (const c of counties) out.push(c, ...all.filter((j) => j.parent === c.id).sort((x, y) => x.name.localeCompare(y.name)));
  for (const j of all) if (!out.includes(j)) out.push(j);
  return out;
}

interface Choice {
  readonly value: string;
  readonly label: string;
  readonly description?: string;
}

/** One question: a fieldset with its legend, radio tiles named by the fact id, and the submit button. */
function questionForm(view: GuideView, o: {
  name: string; question: string; hint?: string; choices: readonly Choice[]; checked?: string; number: number;
  pairs: readonly [string, string][]; error: boolean; extra?: Html;
}): Html {
  const { t } = view.ctx;
  const field = o.name.replace(/[^a-z0-9]+/gi, '-');
  const hintId = `${field}-hint`;
  const errorId = `${field}-error`;
  const described = [o.hint ? hintId : '', o.error ? errorId : ''].filter(Boolean).join(' ');
  const radios = o.choices.map((c, i) => {
    const id = `${field}-${i}`;
    return html`<div class="usa-radio"><input class="usa-radio__input usa-radio__input--tile" id="${id}" type="radio" name="${o.name}" value="${c.value}"${c.value === o.checked ? html` checked` : ''}${i === 0 ? html` required` : ''}>
<label class="usa-radio__label" for="${id}">${c.label}${c.description ? html`<span class="usa-radio__label-description">${c.description}</span>` : ''}</label></div>`;
  });
  return html`<form class="usa-form usa-form--large guide-form" method="get" action="/guide" novalidate>
${hiddenInputs(view, o.pairs)}<input type="hidden" name="step" value="${o.name}">
<div class="usa-form-group${o.error ? ' usa-form-group--error' : ''}">
<fieldset class="usa-fieldset"${described ? html` aria-describedby="${described}"` : ''}>
<legend class="usa-legend"><span class="guide-step">${t('web-guide.step', { number: o.number })}</span><h1 class="guide-question">${o.question}</h1></legend>
${o.hint ? html`<span class="usa-hint" id="${hintId}">${o.hint}</span>` : ''}
${o.error ? html`<span class="usa-error-message" id="${errorId}" role="alert">${t('web-guide.choose_one')}</span>` : ''}
${radios}
</fieldset>
</div>
${o.extra ?? ''}
<button class="usa-button usa-button--big" type="submit">${t('web-guide.continue')}</button>
</form>`;
}

/** The answers so far, each with a link that asks it again (dropping it and everything after it). */
function answersSoFar(view: GuideView, a: GuideAnswers, pairs: readonly [string, string][]): Html {
  const { t } = view.ctx;
  const rows = pairs.map(([k, v], i) => {
    if (k === 'date') return html`<dt>${t('web-guide.as_of', { date: view.words.date(v) })}</dt><dd></dd>`;
    const question = k === 'actor.jurisdiction' ? t('web-guide.jurisdiction.question') : k === 'actor.agency' ? t('web-guide.agency.question')
      : k === 'request' ? t('web-guide.request.question') : view.vocabulary.fact(k).question;
    const answer = valueLabel(view, k, v);
    const back = guideHref(view, pairs.slice(0, i).filter(([key]) => key !== 'step'));
    return html`<dt>${question}</dt><dd>${answer} · <a href="${back}">${t('web-guide.change')}<span class="usa-sr-only">: ${question}</span></a></dd>`;
  });
  if (!rows.length) return html``;
  void a;
  return html`<section class="guide-answers" aria-labelledby="your-answers"><h2 id="your-answers" class="usa-sr-only">${t('web-guide.your_answers')}</h2><dl>${rows}</dl></section>`;
}

/** An answer in words. */
function valueLabel(view: GuideView, key: string, value: string): string {
  if (value === 'unknown') return view.ctx.t('web-guide.dont_know');
  if (key === 'actor.jurisdiction') {
    const j = view.engine.corpus.jurisdictions.get(value);
    return j ? placeName(view, j) : value;
  }
  if (key === 'actor.agency') return view.vocabulary.agency(value).label;
  if (key === 'request') return view.vocabulary.request(value).label;
  return view.vocabulary.value(key, value).label;
}

/** The basis question's explanation: how a judicial warrant, an ICE administrative warrant and a detainer look. */
function basisExplainer(view: GuideView): Html {
  const { t } = view.ctx;
  const sample = (head: string, title: string, sign: string, kind: string) => html`<figure class="document-sample document-sample--${kind}">
<figcaption class="usa-sr-only">${t('web-guide.basis.sample_label')}</figcaption>
<p class="document-sample__head" lang="en">${head}</p><p lang="en">${title}</p><p class="document-sample__sign">${sign}</p></figure>`;
  return html`<section class="guide-explain" aria-labelledby="basis-explain">
<h2 id="basis-explain">${t('web-guide.basis.explain_title')}</h2>
<p>${t('web-guide.basis.explain_intro')}</p>
<h3>${t('web-guide.basis.judicial_title')}</h3><p>${t('web-guide.basis.judicial_looks')}</p>
${sample(t('web-guide.basis.sample_court'), t('web-guide.basis.sample_warrant'), t('web-guide.basis.sample_signed_judge'), 'judicial')}
<h3>${t('web-guide.basis.administrative_title')}</h3><p>${t('web-guide.basis.administrative_looks')}</p>
${sample(t('web-guide.basis.sample_dhs'), t('web-guide.basis.sample_i200'), t('web-guide.basis.sample_signed_officer'), 'administrative')}
<h3>${t('web-guide.basis.detainer_title')}</h3><p>${t('web-guide.basis.detainer_looks')}</p>
${sample(t('web-guide.basis.sample_dhs'), t('web-guide.basis.sample_i247'), t('web-guide.basis.sample_signed_officer'), 'detainer')}
</section>`;
}

/** The options for the jurisdiction question: search results, or every place. */
export interface PlaceChoice {
  readonly search?: { readonly query: string; readonly result: SearchResult };
  /** The place remembered on this device (cookie), preselected. */
  readonly remembered?: string;
}

/** A question page (jurisdiction, agency, request or a fact). */
export function questionPage(view: GuideView, a: GuideAnswers, step: Exclude<GuideStep, { kind: 'answer' }>, o: { error: boolean; places?: PlaceChoice }): GuideHtml {
  const { t } = view.ctx;
  const pairs = answerPairs(view, a);
  const number = pairs.filter(([k]) => k !== 'date').length + 1;
  const common = { number, pairs, error: o.error };
  let form: Html;
  let title: string;
  let before: Html = html``;
  switch (step.kind) {
    case 'jurisdiction': {
      title = t('web-guide.jurisdiction.question');
      const all = guidePlaces(view.engine);
      const search = o.places?.search;
      const listed = search ? search.result.hits.map((h) => h.jurisdiction) : all;
      const remembered = o.places?.remembered ? view.engine.corpus.jurisdictions.get(o.places.remembered) : undefined;
      const checked = listed.length === 1 ? listed[0]!.id : remembered?.id;
      const choices = (listed.length ? listed : all).map((j) => ({ value: j.id, label: placeName(view, j) }));
      const datePair = pairs.filter(([k]) => k === 'date');
      before = html`<form class="usa-form guide-search" method="get" action="/guide" role="search">
${hiddenInputs(view, datePair)}<label class="usa-label" for="place-search">${t('web-guide.jurisdiction.search_label')}</label>
<span class="usa-hint" id="place-search-hint">${t('web-guide.jurisdiction.search_hint')}</span>
<div class="guide-search__row"><input class="usa-input" id="place-search" name="q" type="search" value="${search?.query ?? ''}" aria-describedby="place-search-hint" autocomplete="organization">
<button class="usa-button usa-button--outline" type="submit">${t('web-guide.jurisdiction.search_button')}</button></div>
${search ? html`<p role="status">${listed.length ? t('web-guide.jurisdiction.results', { count: listed.length, query: search.query }) : t('web-guide.jurisdiction.no_results', { query: search.query })} <a href="${guideHref(view, datePair)}">${t('web-guide.jurisdiction.show_all')}</a></p>` : ''}
</form>
${remembered && !search ? html`<p class="usa-hint">${t('web-guide.jurisdiction.remembered', { name: placeName(view, remembered) })}</p>` : ''}`;
      const officeHint = search?.result.agency ? html`<input type="hidden" name="office" value="${search.result.agency}">` : undefined;
      form = questionForm(view, { ...common, name: 'actor.jurisdiction', question: title, hint: t('web-guide.jurisdiction.hint'), choices, ...(checked ? { checked } : {}), ...(officeHint ? { extra: officeHint } : {}) });
      break;
    }
    case 'agency': {
      title = t('web-guide.agency.question');
      const j = view.engine.corpus.jurisdictions.get(a.jurisdiction!)!;
      const choices = step.agencies.map((id) => ({ value: id, label: view.vocabulary.agency(id).label, description: view.vocabulary.agency(id).description }));
      const hint = t('web-guide.agency.hint', { jurisdiction: placeName(view, j) })
        + (step.derived ? ` ${t('web-guide.agency.derived', { kind: t(`web-guide.kind.${j.kind}`) })}` : '');
      form = questionForm(view, { ...common, name: 'actor.agency', question: title, hint, choices });
      break;
    }
    case 'request': {
      title = t('web-guide.request.question');
      const choices = view.engine.vocabulary.requestIds.map((id) => ({ value: id, label: view.vocabulary.request(id).label, description: view.vocabulary.request(id).description }));
      form = questionForm(view, { ...common, name: 'request', question: title, hint: t('web-guide.request.hint'), choices });
      break;
    }
    case 'fact': {
      const fw = view.vocabulary.fact(step.fact.id);
      title = fw.question;
      const choices: Choice[] = [
        ...step.fact.values.map((v) => ({ value: v.id, label: view.vocabulary.value(step.fact.id, v.id).label, description: view.vocabulary.value(step.fact.id, v.id).description })),
        { value: 'unknown', label: t('web-guide.dont_know'), description: t('web-guide.dont_know_hint') },
      ];
      form = questionForm(view, { ...common, name: step.fact.id, question: title, hint: fw.description, choices, ...(step.fact.id === 'basis' ? { extra: basisExplainer(view) } : {}) });
      break;
    }
  }
  const main = html`<p class="guide-step"><a href="${guideHref(view, pairs.filter(([k]) => k === 'date'))}">${t('web-guide.title')}</a></p>
${pairs.some(([k]) => k !== 'date') ? '' : html`<p class="usa-intro">${t('web-guide.intro')}</p>`}
${answersSoFar(view, a, pairs)}
${before}
${form}`;
  return { title, main };
}

/** A clause as the answer quotes it. */
type Clause = Pick<Decision['governing'][number], 'title' | 'quote' | 'source' | 'confidence' | 'paraphrase'>;

/** The verdict line's words for an outcome and request. */
function verdict(view: GuideView, outcome: Outcome, request: string): string {
  const { t, catalog } = view.ctx;
  const has = (id: string) => catalog.has(id);
  const fallback = view.vocabulary.request(request).label.toLowerCase();
  const action = has(`web-guide.action.${request}.do`) ? t(`web-guide.action.${request}.do`) : fallback;
  const infinitive = has(`web-guide.action.${request}.infinitive`) ? t(`web-guide.action.${request}.infinitive`) : fallback;
  return t(`web-guide.answer.verdict.${outcome}`, { action, infinitive });
}

/** The values of `basis` (or the first fact) that would lift a prohibition, as words, when the decision names them. */
function liftingValues(view: GuideView, d: Decision): string | undefined {
  const lift = d.would_change.find((w) => w.fact === 'basis' && (w.outcome === 'permitted' || w.outcome === 'no_rule'));
  return lift ? view.words.values('basis', lift.values) : undefined;
}

/** The conditions under which a `depends` decision would not be the safe answer (every branch but the strictest). */
function dependsConditions(view: GuideView, d: Decision): string[] {
  return (d.depends_on ?? []).filter((b) => b.outcome !== 'prohibited').map((b) => view.words.branch(b));
}

/** A would-change entry in words: "If the basis is a judicial warrant: permitted." / "For sheriff: permitted." */
function changeItem(view: GuideView, fact: string, values: readonly FactValue[], outcome: Outcome): string {
  const { t, catalog } = view.ctx;
  if (fact === 'actor.agency') {
    return t('web-guide.answer.change_agency', { agencies: catalog.list(values.map((v) => view.vocabulary.agency(String(v)).plural), 'or'), outcome: view.words.outcome(outcome) });
  }
  const only = values.length === 1 ? view.vocabulary.value(fact, values[0]!).condition : undefined;
  const condition = only ?? t('decision.condition.is', { fact: view.vocabulary.fact(fact).name, values: view.words.values(fact, values) });
  return t('web-guide.answer.change_item', { condition, outcome: view.words.outcome(outcome) });
}

/** Whom to call: the supervisor, then the lawyers of the actor's own government. */
function whomToCall(view: GuideView, jurisdiction: string): Html {
  const { t } = view.ctx;
  const j = view.engine.corpus.jurisdictions.get(jurisdiction);
  // The catalogs add "County" / "City" themselves ("Baltimore City" would read "Baltimore City City Attorney").
  const name = j ? j.name.replace(/ County$/, '') : jurisdiction;
  const lawyers = j?.kind === 'county' && !/City$/.test(j.name) ? t('web-guide.answer.call.county', { name })
    : j?.kind === 'county' || j?.kind === 'city' ? t('web-guide.answer.call.city', { name: j.name.replace(/ City$/, '') })
      : j?.kind === 'state' ? t('web-guide.answer.call.state') : t('web-guide.answer.call.other');
  return html`<ul class="usa-list"><li>${t('web-guide.answer.call.supervisor')}</li><li>${lawyers}</li></ul>`;
}

/**
 * The answer page for a decided scenario. `extensions` fill the record slot (signed-in staff record the contact);
 * `english` is the same decision in English, to mark a summary the corpus has not translated yet as English.
 */
export function answerPage(
  view: GuideView, a: GuideAnswers, scenario: ScenarioJson, decision: Decision, extensions: readonly AnswerExtension[], english?: Decision,
): GuideHtml {
  const { t } = view.ctx;
  const pairs = answerPairs(view, a);
  const outcome = decision.outcome;
  const lift = liftingValues(view, decision);
  const conditions = dependsConditions(view, decision);
  const depValues = (() => {
    const b = (decision.depends_on ?? []).find((x) => x.outcome !== 'prohibited' && x.when.length && x.when.every((w) => Object.keys(w).length === 1 && 'basis' in w));
    return b ? view.words.values('basis', b.when.flatMap((w) => w['basis'] ?? [])) : undefined;
  })();
  const say = outcome === 'prohibited' ? (lift ? t('web-guide.answer.say.prohibited_unless', { values: lift }) : t('web-guide.answer.say.prohibited'))
    : outcome === 'depends' ? (depValues ? t('web-guide.answer.say.depends', { values: depValues }) : t('web-guide.answer.say.depends_plain'))
      : t(`web-guide.answer.say.${outcome}`);
  const steps = outcome === 'required' ? ['calm', 'document', 'comply', 'supervisor', 'note']
    : outcome === 'prohibited' || outcome === 'depends' ? ['calm', 'no_consent', 'document', 'supervisor', 'note']
      : ['calm', 'document', 'supervisor', 'note'];
  // A `depends` answer has no governing clause of its own: quote those that govern its branches.
  const governing: readonly Clause[] = decision.governing.length ? decision.governing : (decision.depends_on ?? []).flatMap((b) => b.governing)
    .filter((ref, i, all) => all.indexOf(ref) === i)
    .flatMap((ref) => {
      const p = view.engine.corpus.provisions.get(ref);
      const ins = p && view.engine.corpus.instruments.get(p.instrument);
      return p && ins ? [{ title: ins.title, quote: p.quote, source: p.source, confidence: p.confidence, ...(p.paraphrase ? { paraphrase: true as const } : {}) }] : [];
    });
  const clauses = governing.map((g) => html`<figure class="clause-block">
<p><strong>${t('web-guide.answer.clause_from', { title: g.title })}</strong> <span class="usa-tag">${t(`web-guide.answer.confidence.${g.confidence}`)}</span></p>
<blockquote class="clause" lang="en"${g.paraphrase ? html` data-paraphrase="true"` : ''}>${g.paraphrase ? g.quote : `“${g.quote}”`}</blockquote>
<figcaption>${t('web-guide.answer.source')}: ${/^https?:\/\//.test(g.source) ? html`<a href="${g.source}">${g.source}</a>` : g.source}${view.ctx.lang !== 'en' ? html` · ${t('web-guide.answer.quote_lang_note')}` : ''}</figcaption>
</figure>`);
  const changes = decision.would_change.map((w) => html`<li>${changeItem(view, w.fact, w.values, w.outcome)}</li>`);
  const scenarioJson = JSON.stringify(scenario);
  const main = html`<p class="guide-step"><a href="${guideHref(view, pairs.filter(([k]) => k === 'date'))}">${t('web-guide.title')}</a></p>
<h1>${t('web-guide.answer.title')}</h1>
<section class="answer" data-outcome="${outcome}" aria-labelledby="verdict">
<p class="answer__verdict" id="verdict">${verdict(view, outcome, scenario.request)}</p>
<p class="answer__summary"${english && view.ctx.lang !== 'en' && english.summary === decision.summary ? html` lang="en"` : ''}>${decision.summary}</p>
${outcome === 'depends' && conditions.length ? html`<p>${t('web-guide.answer.depends_only_if')}</p><ul class="usa-list">${conditions.map((c) => html`<li>${c}</li>`)}</ul>` : ''}
</section>
<h2>${t('web-guide.answer.say_title')}</h2>
<p class="answer__say">${say}</p>
<h2>${t('web-guide.answer.do_title')}</h2>
<ul class="usa-list">${steps.map((s) => html`<li>${t(`web-guide.answer.do.${s}`)}</li>`)}</ul>
<h2>${t('web-guide.answer.call_title')}</h2>
${whomToCall(view, scenario.actor.jurisdiction)}
<h2>${t('web-guide.answer.clause_title')}</h2>
${clauses.length ? clauses : html`<p>${t('web-guide.answer.no_clause')}</p>`}
<p class="usa-hint">${t('web-guide.answer.version', { date: view.words.date(scenario.date), version: decision.policy_version })}</p>
<h2>${t('web-guide.answer.change_title')}</h2>
${changes.length ? html`<ul class="usa-list">${changes}</ul>` : html`<p>${t('web-guide.answer.nothing_changes')}</p>`}
${answersSoFar(view, a, pairs)}
<div class="answer-actions">
<button class="usa-button usa-button--outline" type="button" data-print hidden>${t('web-guide.answer.print')}</button>
<p class="usa-hint">${t('web-guide.answer.print_hint')}</p>
<a class="usa-button usa-button--unstyled" href="${guideHref(view, pairs.filter(([k]) => k === 'date' || k === 'actor.jurisdiction' || k === 'actor.agency'))}">${t('web-guide.answer.ask_another')}</a>
</div>
<section id="record-contact" class="record-slot" data-scenario="${scenarioJson}" aria-label="${t('web-guide.answer.record_title')}">${extensions.map((e) => e(view, { scenario, decision }))}</section>`;
  return { title: t('web-guide.answer.title'), main };
}
