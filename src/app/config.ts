// Configuration: every command-line flag is also an environment variable (OPA-style: `--data-dir` ⇄
// `TRUSTRULES_DATA_DIR`), so a deployment sets in its environment what a person types as a flag. One table below.
import { ContractError } from './errors.js';
import { listValues } from './params.js';
import { defaultLang, isLang, languages, type Lang } from './presentation/catalog.js';

/** A setting shared by several commands, with its environment variable. */
export interface Setting {
  /** The long flag without its dashes. */
  readonly flag: string;
  /** The environment variable that sets it when the flag is not given. */
  readonly env: string;
  /** What it sets, for `--help` and the README. */
  readonly description: string;
  /** Its value when neither the flag nor the environment gives one (absent: unset). */
  readonly default?: string;
  /** Who reads it: every command, the store's verbs and `serve`, or `serve` alone. */
  readonly scope: 'all' | 'store' | 'serve';
}

/** Flags whose environment variable is a conventional name rather than `TRUSTRULES_<FLAG>`. */
const conventional: Readonly<Record<string, string>> = { port: 'PORT', host: 'HOST', 'database-url': 'DATABASE_URL' };

/** The environment variable of a flag: `data-dir` → `TRUSTRULES_DATA_DIR`, `port` → `PORT`. */
export function envName(flag: string): string {
  const name = flag.replace(/^-+/, '');
  return conventional[name] ?? `TRUSTRULES_${name.replace(/-/g, '_').toUpperCase()}`;
}

/** The log's origin line when none is configured (the store's default, repeated here for the settings table). */
const DEFAULT_ORIGIN_TEXT = 'trustrules.local/contacts';

/** The most analysis worker threads a server may be given: each holds its own copy of the corpus. */
export const MAX_ANALYSIS_THREADS = 64;

/** The settings every command (or the server) shares; command-specific flags follow the same naming rule. */
export const settings: readonly Setting[] = ([
  { flag: 'policies', scope: 'all', description: 'the policy folder', default: '(the bundled Maryland corpus)' },
  { flag: 'assume-in-force', scope: 'all', description: 'what-if: instruments treated as in force on every date (comma-separated)' },
  { flag: 'assume-not-in-force', scope: 'all', description: 'what-if: instruments treated as never in force (comma-separated)' },
  { flag: 'lang', scope: 'all', description: 'language of the words for a person: en or es', default: 'en' },
  { flag: 'port', scope: 'serve', description: 'port the API listens on', default: '8080' },
  { flag: 'host', scope: 'serve', description: 'address the API listens on (0.0.0.0 for every interface)', default: '127.0.0.1' },
  { flag: 'data-dir', scope: 'store', description: 'folder of the embedded contact store (PGlite) and the log key', default: './data' },
  { flag: 'database-url', scope: 'store', description: 'PostgreSQL URL of the contact store (instead of the data folder)' },
  { flag: 'log-key-file', scope: 'store', description: 'the signing key of the transparency log (created on first start)', default: '<data-dir>/log.key' },
  { flag: 'origin', scope: 'store', description: "the log's origin line and key name, e.g. records.example-county.gov/contacts (for a new key)", default: DEFAULT_ORIGIN_TEXT },
  { flag: 'retention-days', scope: 'store', description: 'tombstone contact records that occurred more than this many days ago (the leaves stay)', default: '(off)' },
  { flag: 'suppression-threshold', scope: 'serve', description: 'public reports publish a count below this as "<N" (3 to 1000)', default: '5' },
  { flag: 'cors-origins', scope: 'serve', description: 'origins allowed to call the API from a browser (comma-separated, e.g. https://county.example)', default: '(none: CORS closed)' },
  { flag: 'rate-limit-address', scope: 'serve', description: 'requests per window from one client address (0: no limit)', default: '600' },
  { flag: 'rate-limit-token', scope: 'serve', description: 'requests per window with one token (0: no limit)', default: '600' },
  { flag: 'rate-limit-window', scope: 'serve', description: 'the rate-limit window in seconds', default: '60' },
  { flag: 'trust-proxy', scope: 'serve', description: 'addresses of the reverse proxy whose X-Forwarded-For is believed (comma-separated; e.g. 127.0.0.1)', default: '(none)' },
  { flag: 'body-limit', scope: 'serve', description: 'largest request body in bytes (a batch may be 16 times this)', default: String(1024 * 1024) },
  { flag: 'max-batch', scope: 'serve', description: 'most scenarios in one POST /v1/decide/batch', default: '10000' },
  { flag: 'request-timeout', scope: 'serve', description: 'seconds a client has to send a whole request', default: '30' },
  { flag: 'keep-alive-timeout', scope: 'serve', description: 'seconds an idle keep-alive connection stays open', default: '5' },
  { flag: 'connection-timeout', scope: 'serve', description: 'seconds of inactivity after which a connection is closed', default: '120' },
  { flag: 'log-level', scope: 'serve', description: 'fatal, error, warn, info (one line per request), debug, trace, or off', default: 'info' },
  { flag: 'log-client-address', scope: 'serve', description: 'also log each request\'s client address (true/false)', default: 'false' },
  { flag: 'analysis-threads', scope: 'serve', description: `worker threads that run /v1/analysis off the event loop (0: on it; at most ${MAX_ANALYSIS_THREADS})`, default: '(one fewer than the cores, 1 to 4)' },
  { flag: 'metrics-token', scope: 'serve', description: 'when set, GET /metrics requires Authorization: Bearer <this>', default: '(public)' },
] satisfies Omit<Setting, 'env'>[]).map((s) => ({ ...s, env: envName(s.flag) }));

/** The settings as one Markdown table (flag, environment variable, default, meaning): the README's configuration table. */
export function settingsTable(): string {
  const rows = settings.map((s) => `| \`--${s.flag}\` | \`${s.env}\` | ${s.default === undefined ? '—' : s.default.startsWith('(') ? s.default : `\`${s.default}\``} | ${s.description} |`);
  return ['| flag | environment | default | what it sets |', '|---|---|---|---|', ...rows].join('\n');
}

/** How the HTTP service runs: listening, limits, CORS, rate limits, timeouts, logging and metrics. */
export interface ServiceConfig {
  readonly suppressionThreshold: number;
  readonly corsOrigins: readonly string[];
  /** Requests per window per client address and per token; 0 turns that limit off. */
  readonly rateLimitAddress: number;
  readonly rateLimitToken: number;
  readonly rateLimitWindowSeconds: number;
  readonly trustProxy: readonly string[];
  readonly bodyLimit: number;
  readonly maxBatch: number;
  readonly requestTimeoutSeconds: number;
  readonly keepAliveTimeoutSeconds: number;
  readonly connectionTimeoutSeconds: number;
  /** A pino level, or `off`. */
  readonly logLevel: LogLevel;
  readonly logClientAddress: boolean;
  readonly metricsToken?: string;
  /** Worker threads for /v1/analysis (0: in process); absent: the server's default (analysisRunner.ts). */
  readonly analysisThreads?: number;
}

/** The log levels `--log-level` takes. */
export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'off'] as const;
/** A log level, or off. */
export type LogLevel = (typeof logLevels)[number];

function settingDefault(flag: string): string {
  return settings.find((s) => s.flag === flag)!.default!;
}

function integerSetting(values: Readonly<Record<string, string | undefined>>, flag: string, min: number): number {
  const given = values[flag];
  const text = given === undefined || given === '' ? settingDefault(flag) : given.trim();
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min) {
    throw new ContractError('bad_config', { path: flag, given: given ?? null, allowed: [`a whole number ≥ ${min}`], message: `--${flag} (${envName(flag)}) must be a whole number ≥ ${min}` });
  }
  return n;
}

function booleanSetting(values: Readonly<Record<string, string | undefined>>, flag: string): boolean {
  const given = values[flag];
  const text = (given === undefined || given === '' ? settingDefault(flag) : given).trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(text)) return true;
  if (['false', '0', 'no', 'off'].includes(text)) return false;
  throw new ContractError('bad_config', { path: flag, given: given ?? null, allowed: ['true', 'false'], message: `--${flag} (${envName(flag)}) must be true or false` });
}

function listSetting(values: Readonly<Record<string, string | undefined>>, flag: string): string[] {
  return listValues(values[flag]);
}

/**
 * The service configuration from the values of the serve settings by flag name (a flag, else its environment variable,
 * else unset); a bad value is a `bad_config` ContractError naming the flag and what it takes.
 */
export function serviceConfig(values: Readonly<Record<string, string | undefined>> = {}): ServiceConfig {
  const origins = listSetting(values, 'cors-origins');
  for (const o of origins) {
    let ok = false;
    try {
      const u = new URL(o);
      ok = (u.protocol === 'https:' || u.protocol === 'http:') && u.origin === o;
    } catch { /* not a URL */ }
    if (!ok) throw new ContractError('bad_config', { path: 'cors-origins', given: o, allowed: ['scheme://host[:port], e.g. https://county.example'], message: 'a CORS origin is a scheme, a host and an optional port, with no path or trailing slash' });
  }
  const level = (values['log-level'] || settingDefault('log-level')).trim().toLowerCase();
  const logLevel = (level === 'silent' ? 'off' : level) as LogLevel;
  if (!logLevels.includes(logLevel)) throw new ContractError('bad_config', { path: 'log-level', given: values['log-level'] ?? null, allowed: logLevels, message: 'not a log level' });
  const metricsToken = values['metrics-token'] || undefined;
  const threads = values['analysis-threads'];
  const analysisThreads = threads === undefined || threads === '' ? undefined : integerSetting(values, 'analysis-threads', 0);
  if (analysisThreads !== undefined && analysisThreads > MAX_ANALYSIS_THREADS) {
    throw new ContractError('bad_config', { path: 'analysis-threads', given: threads ?? null, allowed: [`a whole number from 0 to ${MAX_ANALYSIS_THREADS}`], message: `--analysis-threads (${envName('analysis-threads')}) must be at most ${MAX_ANALYSIS_THREADS}` });
  }
  return {
    suppressionThreshold: integerSetting(values, 'suppression-threshold', 3),
    corsOrigins: origins,
    rateLimitAddress: integerSetting(values, 'rate-limit-address', 0),
    rateLimitToken: integerSetting(values, 'rate-limit-token', 0),
    rateLimitWindowSeconds: integerSetting(values, 'rate-limit-window', 1),
    trustProxy: listSetting(values, 'trust-proxy'),
    bodyLimit: integerSetting(values, 'body-limit', 1024),
    maxBatch: integerSetting(values, 'max-batch', 1),
    requestTimeoutSeconds: integerSetting(values, 'request-timeout', 0),
    keepAliveTimeoutSeconds: integerSetting(values, 'keep-alive-timeout', 0),
    connectionTimeoutSeconds: integerSetting(values, 'connection-timeout', 0),
    logLevel,
    logClientAddress: booleanSetting(values, 'log-client-address'),
    ...(metricsToken ? { metricsToken } : {}),
    ...(analysisThreads !== undefined ? { analysisThreads } : {}),
  };
}

/** The values of the settings from an environment, by flag name (what `serviceConfig` reads when no flag is given). */
export function settingValuesFromEnv(env: NodeJS.ProcessEnv = process.env, scope: readonly Setting['scope'][] = ['serve', 'store']): Record<string, string | undefined> {
  return Object.fromEntries(settings.filter((s) => scope.includes(s.scope)).map((s) => [s.flag, env[s.env] || undefined]));
}

/** A language parameter (`--lang`, `?lang=`); anything but en and es (given once) is `bad_input`. */
export function languageParam(path: string, value: unknown): Lang {
  if (value === undefined || value === '') return defaultLang;
  if (isLang(value)) return value;
  if (Array.isArray(value)) throw new ContractError('bad_input', { path, given: value, allowed: languages, message: `give "${path}" once: one language of the catalogs` });
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
