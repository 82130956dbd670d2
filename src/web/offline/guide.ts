// The guide offline: the entry of the browser bundle (scripts/build-web.mjs bundles it with esbuild as
// /assets/guide-offline.js) that the service worker loads. From the server's OfflineData it builds the same engine,
// catalogs and words, and renders /guide addresses with the same code the server runs, so a clerk who loaded the
// guide once keeps getting the same answers with the network gone.
import { catalogFromYaml, type Catalog, type Lang } from '../../app/presentation/catalog.js';
import { contractErrorOf } from '../../app/errors.js';
import { presentationWords, type PresentationWords } from '../../app/presentation/words.js';
import { Engine } from '../../engine/engine.js';
import { buildVocabulary } from '../../vocabulary/model.js';
import { translatedWordsFromYaml, vocabularyWords, type VocabularyWords } from '../../vocabulary/words.js';
import type { Assets } from '../assets.js';
import { renderGuide } from '../guide/guide.js';
import { contextFor, errorPage } from '../layout.js';
import { corpusOf, type OfflineData } from './snapshot.js';

/** A rendered page: status and HTML. */
export interface OfflinePage {
  readonly status: number;
  readonly lang: Lang;
  readonly html: string;
}

/** The offline guide made from the server's data. */
export interface OfflineGuide {
  readonly policyVersion: string;
  /** The page for a /guide address (path and query), as the server would render it on `today`. */
  render(url: string, acceptLanguage: string | undefined, today: string, remembered?: string): OfflinePage;
}

/** The built assets as a page links them, from the data's manifest. */
function assetsOf(manifest: Readonly<Record<string, string>>): Assets {
  return {
    manifest,
    url(file) {
      const hash = manifest[file];
      if (!hash) throw new Error(`offline guide: no built file ${file}`);
      return `/assets/${file}?v=${hash}`;
    },
    has: (file) => file in manifest,
    files: Object.keys(manifest).sort(),
  };
}

/** Builds the engine, catalogs and words once; renders pages on demand. */
export function offlineGuide(data: OfflineData): OfflineGuide {
  const vocab = buildVocabulary(data.vocabulary);
  const corpus = corpusOf(data.corpus);
  const engine = new Engine(corpus, {}, vocab);
  const catalogs = new Map<Lang, Catalog>();
  const catalog = (lang: Lang) => {
    let c = catalogs.get(lang);
    if (!c) catalogs.set(lang, (c = catalogFromYaml(lang, data.catalogs[lang])));
    return c;
  };
  const vocabularies = new Map<Lang, VocabularyWords>();
  const vocabularyFor = (lang: Lang) => {
    let v = vocabularies.get(lang);
    const translation = data.vocabularyTranslations[lang];
    if (!v) vocabularies.set(lang, (v = translation ? translatedWordsFromYaml(vocab, translation) : vocabularyWords(vocab)));
    return v;
  };
  const words = new Map<Lang, PresentationWords>();
  const wordsFor = (lang: Lang) => {
    let w = words.get(lang);
    if (!w) words.set(lang, (w = presentationWords({ catalog: catalog(lang), vocabulary: vocabularyFor(lang), corpus })));
    return w;
  };
  const assets = assetsOf(data.assets);
  return {
    policyVersion: data.policyVersion,
    render(url, acceptLanguage, today, remembered) {
      let ctx;
      try {
        ctx = contextFor(url, acceptLanguage, assets, catalog);
        return { status: 200, lang: ctx.lang, html: renderGuide(ctx, { engine, vocabulary: vocabularyFor, words: wordsFor, today }, remembered).page.text };
      } catch (e) {
        const refusal = contractErrorOf(e, corpus);
        if (!refusal) throw e;
        const c = ctx ?? contextFor(url.split('?')[0]!, undefined, assets, catalog);
        return { status: refusal.httpStatus, lang: c.lang, html: errorPage(c, refusal.httpStatus, refusal.body().error).text };
      }
    },
  };
}

/** Today's date (YYYY-MM-DD, UTC) as the server's guide defaults to it. */
export { today } from '../../vocabulary/dates.js';
