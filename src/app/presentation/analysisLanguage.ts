// The analyses' words in a language, from the project's message catalogs and vocabulary words (node only: it reads
// files).
import type { Corpus } from '../../policy/corpus.js';
import { languageWords } from '../../vocabulary/vocabulary.js';
import { analysisWords, type AnalysisWords } from './analysis.js';
import { messages, type Lang } from './messages.js';

const made = new WeakMap<Corpus, Map<Lang, AnalysisWords>>();

/** The analyses' words for a language and corpus (names and titles come from the corpus), made once. */
export function analysisWordsFor(lang: Lang, corpus: Corpus): AnalysisWords {
  let byLang = made.get(corpus);
  if (!byLang) made.set(corpus, (byLang = new Map()));
  let w = byLang.get(lang);
  if (!w) byLang.set(lang, (w = analysisWords({ catalog: messages(lang), vocabulary: languageWords(lang), corpus })));
  return w;
}
