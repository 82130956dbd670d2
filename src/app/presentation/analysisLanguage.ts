// The analyses' words in a language, from the project's message catalogs and vocabulary (node only: it reads files).
//
// Interim: until the vocabulary's own words per language land (vocabulary/<lang>.yaml), English words from
// vocabulary.yaml serve every language.
import type { Corpus } from '../../policy/corpus.js';
import type { Vocabulary } from '../../vocabulary/vocabulary.js';
import { analysisWords, type AnalysisVocabularyWords, type AnalysisWords } from './analysis.js';
import { messages, type Lang } from './messages.js';

const words = (id: string | boolean) => String(id).replace(/_/g, ' ');
const plurals: Readonly<Record<string, string>> = { executive: 'other executive departments', school: 'schools' };

/** The vocabulary's words in a language, as the analyses use them. */
export function vocabularyWords(vocab: Vocabulary, _lang: Lang): AnalysisVocabularyWords {
  return {
    agency: (id) => ({ plural: plurals[id] ?? id }),
    request: (id) => ({ label: vocab.requests.find((r) => r.id === id)?.label ?? id }),
    fact: (id) => ({ name: words(id) }),
    value: (_fact, value) => ({ short: words(value) }),
  };
}

const made = new WeakMap<Corpus, Map<Lang, AnalysisWords>>();

/** The analyses' words for a language and corpus, made once. */
export function analysisWordsFor(lang: Lang, corpus: Corpus, vocab: Vocabulary): AnalysisWords {
  let byLang = made.get(corpus);
  if (!byLang) made.set(corpus, (byLang = new Map()));
  let w = byLang.get(lang);
  if (!w) byLang.set(lang, (w = analysisWords({ catalog: messages(lang), vocabulary: vocabularyWords(vocab, lang), corpus })));
  return w;
}
