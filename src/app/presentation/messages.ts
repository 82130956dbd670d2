// The project's message catalogs, read from messages/<lang>/<area>.yaml (node only; catalog.ts does the rest).
//
// Use: `messages('es').format('decision.outcome.no_rule')`. Each language is read once and kept; a message is
// parsed on first use, and messages.test.ts parses every one, so a broken catalog fails the tests.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { yamlData } from '../../vocabulary/yamlData.js';
import { catalogFromYaml, type Catalog, type Lang } from './catalog.js';

export { CatalogError, catalogFromTrees, catalogFromYaml, defaultLang, isLang, languages } from './catalog.js';
/** The catalog types, re-exported so callers need one module. */
export type { Catalog, CatalogTree, Lang, MessageParams } from './catalog.js';

/** The catalogs' folder: messages/ at the package root (the same depth from src/ and dist/). */
export const messagesDir = fileURLToPath(new URL('../../../messages/', import.meta.url));

/** The YAML text of each area of a language, by area name, from a catalogs folder. */
export function readCatalogSources(lang: Lang, dir: string = messagesDir): Record<string, string> {
  const out: Record<string, string> = {};
  for (const file of readdirSync(join(dir, lang)).sort()) {
    if (file.endsWith('.yaml')) out[file.slice(0, -'.yaml'.length)] = readFileSync(join(dir, lang, file), 'utf8');
  }
  return out;
}

const loaded = new Map<Lang, Catalog>();

/** The project's catalog for a language, read once. */
export function messages(lang: Lang): Catalog {
  let catalog = loaded.get(lang);
  if (!catalog) {
    catalog = catalogFromYaml(lang, readCatalogSources(lang), yamlData);
    loaded.set(lang, catalog);
  }
  return catalog;
}
