// The scenario vocabulary read from vocabulary/vocabulary.yaml (node only): the model and its parsing live in model.ts.
import { fileURLToPath } from 'node:url';
import { buildVocabulary, registerProjectVocabulary, type Vocabulary } from './model.js';
import { translatedWords, vocabularyWords, type VocabularyWords } from './words.js';
import { readYamlFile } from './yamlData.js';

export * from './model.js';

/** The package's root folder (where vocabulary/, policies/ and messages/ are). */
export const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
/** The vocabulary file. */
export const vocabularyPath = fileURLToPath(new URL('../../vocabulary/vocabulary.yaml', import.meta.url));

let loaded: Vocabulary | undefined;
/** The project's vocabulary, read once from vocabulary/vocabulary.yaml. */
export function vocabulary(): Vocabulary {
  if (!loaded) {
    const { text, data } = readYamlFile(vocabularyPath);
    loaded = registerProjectVocabulary(buildVocabulary(text, vocabularyPath, data));
  }
  return loaded;
}


const wordsByLang = new Map<string, VocabularyWords>();
/** The project vocabulary's words in a language: English from vocabulary.yaml, others from vocabulary/<lang>.yaml. */
export function languageWords(lang: string): VocabularyWords {
  let words = wordsByLang.get(lang);
  if (!words) {
    words = lang === 'en'
      ? vocabularyWords(vocabulary())
      : translatedWords(vocabulary(), readYamlFile(fileURLToPath(new URL(`../../vocabulary/${lang}.yaml`, import.meta.url))).data);
    wordsByLang.set(lang, words);
  }
  return words;
}
