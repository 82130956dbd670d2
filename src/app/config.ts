// Configuration: every command-line flag is also an environment variable (OPA-style: `--data-dir` ⇄
// `TRUSTRULES_DATA_DIR`), so a deployment sets in its environment what a person types as a flag. One table below.
import { ContractError } from './errors.js';
import { defaultLang, isLang, languages, type Lang } from './presentation/catalog.js';

/** A setting shared by several commands, with its environment variable. */
export interface Setting {
  /** The long flag without its dashes. */
  readonly flag: string;
  /** The environment variable that sets it when the flag is not given. */
  readonly env: string;
  /** What it sets, for `--help` and the README. */
  readonly description: string;
}

/** Flags whose environment variable is a conventional name rather than `TRUSTRULES_<FLAG>`. */
const conventional: Readonly<Record<string, string>> = { port: 'PORT', host: 'HOST', 'database-url': 'DATABASE_URL' };

/** The environment variable of a flag: `data-dir` → `TRUSTRULES_DATA_DIR`, `port` → `PORT`. */
export function envName(flag: string): string {
  const name = flag.replace(/^-+/, '');
  return conventional[name] ?? `TRUSTRULES_${name.replace(/-/g, '_').toUpperCase()}`;
}

/** The settings every command (or the server) shares; command-specific flags follow the same naming rule. */
export const settings: readonly Setting[] = [
  { flag: 'policies', description: 'the policy folder (default: the bundled Maryland corpus)' },
  { flag: 'assume-in-force', description: 'what-if: instruments treated as in force on every date (comma-separated)' },
  { flag: 'assume-not-in-force', description: 'what-if: instruments treated as never in force (comma-separated)' },
  { flag: 'lang', description: 'language of the words for a person: en or es (default en)' },
  { flag: 'port', description: 'port the API listens on (default 8080)' },
  { flag: 'host', description: 'address the API listens on (default 127.0.0.1)' },
  { flag: 'data-dir', description: 'folder of the contact store and the log' },
  { flag: 'database-url', description: 'PostgreSQL URL of the contact store (instead of the data folder)' },
  { flag: 'log-key-file', description: 'the signing key of the transparency log' },
  { flag: 'origin', description: 'the public origin of the web pages (for links and cookies)' },
  { flag: 'suppression-threshold', description: 'public reports publish counts below this as "<N" (default 5, at least 3)' },
].map((s) => ({ ...s, env: envName(s.flag) }));

/** A language parameter (`--lang`, `?lang=`); anything but en and es is `bad_input`. */
export function languageParam(path: string, value: unknown): Lang {
  if (value === undefined || value === '') return defaultLang;
  if (isLang(value)) return value;
  throw new ContractError('bad_input', { path, given: value, allowed: languages, message: 'not a language of the catalogs' });
}

/** A request's language: its `lang` query parameter when given, else its Accept-Language header, else English. */
export function requestLanguage(query: Readonly<Record<string, unknown>>, acceptLanguage: string | string[] | undefined): Lang {
  const lang = query['lang'];
  if (lang !== undefined) return languageParam('lang', Array.isArray(lang) ? lang[lang.length - 1] : lang);
  return acceptedLanguage(Array.isArray(acceptLanguage) ? acceptLanguage[0] : acceptLanguage);
}

/** The best language of an Accept-Language header (`es-MX,es;q=0.9,en;q=0.8` → es); English when none is offered. */
export function acceptedLanguage(header: string | undefined): Lang {
  if (!header) return defaultLang;
  const ranked = header
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { lang: tag.trim().toLowerCase().split('-')[0]!, q: q ? Number(q.slice(2)) : 1, i };
    })
    .filter((x) => x.q > 0 && !Number.isNaN(x.q))
    .sort((a, b) => b.q - a.q || a.i - b.i);
  const best = ranked.find((x) => isLang(x.lang))?.lang;
  return isLang(best) ? best : defaultLang;
}
