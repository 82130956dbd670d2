// Page words for renderer tests: a language's catalog and plain addresses, as a page's context would give them.
import { messages, type Lang } from '../../app/presentation/messages.js';
import type { Corpus } from '../../policy/corpus.js';
import { viewWords, type ViewWords } from './parts.js';

/** The words of a page in `lang` whose language came from `?lang=` when `inQuery`. */
export function testWords(corpus: Corpus, lang: Lang, inQuery = false): ViewWords {
  const catalog = messages(lang);
  return viewWords({
    lang,
    langInQuery: inQuery,
    t: (id, params) => catalog.format(id, params),
    href(path, params = {}) {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(params)) if (v !== undefined) for (const one of typeof v === 'string' ? [v] : v) q.append(k, one);
      if (inQuery) q.set('lang', lang);
      const s = q.toString();
      return s ? `${path}?${s}` : path;
    },
  }, corpus);
}
