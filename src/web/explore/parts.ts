// Pieces the Explorer, Map and Compare pages share: their words (a page's catalog, vocabulary and corpus names in its
// language), an outcome as a tag, a provision reference as a link to the Explorer, and the date form.
import type { Lang, MessageParams } from '../../app/presentation/messages.js';
import { wordsFor } from '../../app/presentation/decisions.js';
import type { PresentationWords } from '../../app/presentation/words.js';
import type { Outcome } from '../../engine/decision.js';
import type { Corpus } from '../../policy/corpus.js';
import { languageWords } from '../../vocabulary/vocabulary.js';
import type { VocabularyWords } from '../../vocabulary/words.js';
import { html, raw, type Html } from '../html.js';

/** What a renderer needs of its request: the language, the catalog's words and addresses that keep the language. */
export interface PageWords {
  readonly lang: Lang;
  /** Whether the language was chosen by `?lang=` (then forms carry it on). */
  readonly langInQuery: boolean;
  t(id: string, params?: MessageParams): string;
  href(path: string, params?: Readonly<Record<string, string | readonly string[] | undefined>>): string;
}

/** A page's words with the vocabulary's and the decisions' words in its language. */
export interface ViewWords extends PageWords {
  readonly vocabulary: VocabularyWords;
  readonly decisions: PresentationWords;
  /** A jurisdiction's name. */
  name(id: string): string;
}

/** Adds the vocabulary's and the decisions' words of the page's language. */
export function viewWords(page: PageWords, corpus: Corpus): ViewWords {
  const decisions = wordsFor(corpus, page.lang);
  return {
    lang: page.lang,
    langInQuery: page.langInQuery,
    t: (id, params) => page.t(id, params),
    href: (path, params) => page.href(path, params),
    vocabulary: languageWords(page.lang),
    decisions,
    name: (id) => decisions.jurisdictionName(id),
  };
}

/** The Explorer's address of a jurisdiction (on a date when given). */
export function exploreHref(w: PageWords, jurisdiction: string, date?: string): string {
  return w.href(`/explore/${jurisdiction}`, { date });
}

/** The anchor id of a provision on its jurisdiction's Explorer page. */
export function provisionAnchor(ref: string): string {
  return `p-${ref.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
}

/** A provision ref as a link to the Explorer page of the instrument's jurisdiction, at the provision. */
export function provisionLink(w: PageWords, corpus: Corpus, ref: string, date: string): Html {
  const p = corpus.provisions.get(ref);
  const ins = p && corpus.instruments.get(p.instrument);
  if (!ins) return html`<code>${ref}</code>`;
  return html`<a href="${exploreHref(w, ins.jurisdiction, date)}#${provisionAnchor(ref)}"><code>${ref}</code></a>`;
}

/** An outcome as a tag: its word, with a class the stylesheet colours (and a data attribute tests read). */
export function outcomeTag(w: ViewWords, outcome: Outcome): Html {
  return html`<span class="outcome outcome--${outcome}" data-outcome="${outcome}">${w.decisions.outcome(outcome)}</span>`;
}

/** The hidden field that keeps a form's language when the page's came from `?lang=`. */
export function langField(w: PageWords): Html | '' {
  return w.langInQuery ? html`<input type="hidden" name="lang" value="${w.lang}">` : '';
}

/** A GET form with one date field (and the hidden fields given), submitted by a button: works without JavaScript. */
export function dateForm(w: PageWords, action: string, date: string, hidden: Readonly<Record<string, string | readonly string[]>> = {}, id = 'date'): Html {
  const fields = Object.entries(hidden).flatMap(([k, v]) => (typeof v === 'string' ? [v] : v).map((one) => html`<input type="hidden" name="${k}" value="${one}">`));
  return html`<form class="usa-form date-form" method="get" action="${action}">${fields}${langField(w)}
<label class="usa-label" for="${id}">${w.t('web-explore.date.label')}</label>
<span class="usa-hint" id="${id}-hint">${w.t('web-explore.date.hint')}</span>
<input class="usa-input" type="date" id="${id}" name="date" value="${date}" min="1990-01-01" max="2099-12-31" aria-describedby="${id}-hint" required>
<button class="usa-button" type="submit">${w.t('web-explore.date.submit')}</button>
</form>`;
}

/**
 * ` lang="…"` for an element whose text is in another language than the page's (English data on a Spanish page), so
 * screen readers switch voice; nothing when it is the page's.
 */
export function langAttribute(w: PageWords, textLang: string): Html | '' {
  return textLang === w.lang ? '' : raw(` lang="${textLang === 'en' ? 'en' : 'es'}"`);
}
