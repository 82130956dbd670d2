// Message catalogs as values: MessageFormat 2 messages by id for one language, built from catalog objects or YAML
// text, with no file access, so a browser bundle can format the same messages the CLI and API do.
//
// Why messageformat 4: it implements Unicode MessageFormat 2 (the CLDR/TC39 standard syntax), whose `.match`
// selects on plural categories (`:number`) and on words (`:string`), which Spanish needs for agreement
// ("1 organismo", "2 organismos"; "la ley" / "el decreto") without code; it runs in Node and in browsers with
// no dependencies. A message is parsed when first used (a command that words three messages parses three);
// the catalog tests parse every one, so a bad catalog fails a test, not a user.
import { MessageFormat, parseMessage, visit, type Model } from 'messageformat';
import { parse as parseYaml } from 'yaml';

/** The languages every text meant for a person exists in (contract section 6). */
export const languages = ['en', 'es'] as const;
/** A language of the catalogs. */
export type Lang = (typeof languages)[number];
/** The language used when none is asked for. */
export const defaultLang: Lang = 'en';

/** Whether a string names a catalog language. */
export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

/** Parameters a message is formatted with: strings, numbers, booleans (for `:string` selection, as text). */
export type MessageParams = Readonly<Record<string, string | number | boolean>>;

/** A catalog area as read from its file: nested maps of message sources; ids join the keys with dots. */
export interface CatalogTree {
  readonly [key: string]: string | CatalogTree;
}

/** The messages of one language, formatted by id (`<area>.<key>…`, e.g. `decision.outcome.no_rule`). */
export interface Catalog {
  readonly lang: Lang;
  /** The message with its parameters filled in; throws on an unknown id or a missing parameter. */
  format(id: string, params?: MessageParams): string;
  /** Whether the catalog has a message with this id. */
  has(id: string): boolean;
  /** Every message id, sorted. */
  ids(): readonly string[];
  /** The variables a message reads (its parameters), sorted. */
  params(id: string): readonly string[];
  /** Items joined as a list in this language ("a, b or c"), with `common.list.separator` and `common.list.<joint>` (`or_before_o`). */
  list(items: readonly string[], joint: 'or' | 'and'): string;
}

/** A catalog message that does not parse, or an id asked for that does not exist. */
export class CatalogError extends Error {
  constructor(
    readonly lang: Lang,
    readonly id: string,
    message: string,
  ) {
    super(`messages/${lang}: ${id}: ${message}`);
  }
}

interface Entry {
  readonly source: string;
  model: Model.Message | undefined;
  formatter: MessageFormat | undefined;
}

/** Flattens nested catalog maps into `prefix.key` ids. */
function flatten(tree: CatalogTree, prefix: string, out: Map<string, string>, lang: Lang): void {
  for (const [key, value] of Object.entries(tree)) {
    const id = `${prefix}.${key}`;
    if (typeof value === 'string') {
      if (out.has(id)) throw new CatalogError(lang, id, 'defined twice');
      out.set(id, value);
    } else if (value && typeof value === 'object' && !Array.isArray(value)) flatten(value, id, out, lang);
    else throw new CatalogError(lang, id, `a message must be a string or a map of messages, not ${JSON.stringify(value)}`);
  }
}

/** The variables a message reads, excluding its own `.local` names. */
function variablesOf(model: Model.Message): string[] {
  const locals = new Set<string>();
  const used = new Set<string>();
  for (const d of model.declarations) if (d.type === 'local') locals.add(d.name);
  visit(model, {
    value: (v) => {
      if (v.type === 'variable') used.add(v.name);
    },
  });
  return [...used].filter((v) => !locals.has(v)).sort();
}

/** A catalog from its areas' message trees (area name to nested messages); each message is parsed on first use. */
export function catalogFromTrees(lang: Lang, areas: Readonly<Record<string, CatalogTree>>): Catalog {
  const sources = new Map<string, string>();
  for (const [area, tree] of Object.entries(areas)) flatten(tree, area, sources, lang);
  const entries = new Map<string, Entry>();
  for (const [id, source] of sources) entries.set(id, { source, model: undefined, formatter: undefined });
  const ids = Object.freeze([...entries.keys()].sort());
  const entry = (id: string): Entry & { model: Model.Message } => {
    const e = entries.get(id);
    if (!e) throw new CatalogError(lang, id, 'no such message');
    if (!e.model) {
      try {
        e.model = parseMessage(e.source);
      } catch (err) {
        throw new CatalogError(lang, id, `not a MessageFormat 2 message: ${(err as Error).message}`);
      }
    }
    return e as Entry & { model: Model.Message };
  };
  return {
    lang,
    format(id, params = {}) {
      const e = entry(id);
      // No bidi isolation marks: the text goes to terminals, JSON and HTML in left-to-right languages.
      e.formatter ??= new MessageFormat(lang, e.model, { bidiIsolation: 'none' });
      const errors: unknown[] = [];
      const text = e.formatter.format(params as Record<string, unknown>, (error) => errors.push(error));
      if (errors.length) throw new CatalogError(lang, id, String(errors[0]));
      return text;
    },
    has: (id) => entries.has(id),
    ids: () => ids,
    params: (id) => variablesOf(entry(id).model),
    list(items, joint) {
      if (items.length <= 1) return items.join('');
      const rest = items.slice(0, -1).join(this.format('common.list.separator'));
      const last = items[items.length - 1]!;
      // Spanish writes "u" for "o" before the sound "o" (o, ho): the catalog says which word; English keeps "or".
      const id = joint === 'or' && /^h?o/i.test(last) ? 'common.list.or_before_o' : `common.list.${joint}`;
      return this.format(id, { rest, last });
    },
  };
}

/**
 * A catalog from YAML texts, one per area (`decision` for messages/<lang>/decision.yaml); `parseText` turns a text into
 * its data (node passes a cached parse, vocabulary/yamlData.ts).
 */
export function catalogFromYaml(lang: Lang, areas: Readonly<Record<string, string>>, parseText: (text: string) => unknown = parseYaml): Catalog {
  const trees: Record<string, CatalogTree> = {};
  for (const [area, text] of Object.entries(areas)) {
    const tree: unknown = parseText(text) ?? {};
    if (typeof tree !== 'object' || Array.isArray(tree)) throw new CatalogError(lang, area, 'a catalog file must be a map of messages');
    trees[area] = tree as CatalogTree;
  }
  return catalogFromTrees(lang, trees);
}
