// The scenario vocabulary read from vocabulary/vocabulary.yaml (node only): the model and its parsing live in model.ts.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildVocabulary, registerProjectVocabulary, type Vocabulary } from './model.js';
import { translatedWordsFromYaml, vocabularyWords, type VocabularyWords } from './words.js';

export * from './model.js';

/** The package's root folder (where vocabulary/, policies/ and messages/ are). */
export const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
/** The vocabulary file. */
export const vocabularyPath = fileURLToPath(new URL('../../vocabulary/vocabulary.yaml', import.meta.url));

let loaded: Vocabulary | undefined;
/** The project's vocabulary, read once from vocabulary/vocabulary.yaml. */
export function vocabulary(): Vocabulary {
  loaded ??= registerProjectVocabulary(buildVocabulary(readFileSync(vocabularyPath, 'utf8'), vocabularyPath));
  return loaded;
}


const wordsByLang = new Map<string, VocabularyWords>();
/** The project vocabulary's words in a language: English from vocabulary.yaml, others from vocabulary/<lang>.yaml. */
export function languageWords(lang: string): VocabularyWords {
  let words = wordsByLang.get(lang);
  if (!words) {
    words = lang === 'en'
      ? vocabularyWords(vocabulary())
      : translatedWordsFromYaml(vocabulary(), readFileSync(fileURLToPath(new URL(`../../vocabulary/${lang}.yaml`, import.meta.url)), 'utf8'));
    wordsByLang.set(lang, words);
  }
  return words;
}
