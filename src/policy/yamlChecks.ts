// What a policy file's YAML may not do, found before its value is used: explicit tags (`!!js/function`, `!!binary`,
// `!foo`) and aliases that expand without bound (a "billion laughs" file). Each problem has the offset it is at, so
// `check` reports it with file, line and column.
import { isAlias, isCollection, isNode, visit, type Document, type Node as YamlNode } from 'yaml';

/** Most alias expansions a policy file may make (yaml's `maxAliasCount`); the bundled corpus uses none. */
export const MAX_ALIASES = 100;

/** Tags YAML 1.2's core schema gives every node anyway: writing them out changes nothing, so they are allowed. */
const plainTags = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

/** A problem in a YAML document, at a character offset of its text. */
export interface YamlProblem {
  readonly offset: number;
  /** `yaml-tag`: an explicit tag other than the core schema's; `yaml-alias`: aliases expanding past MAX_ALIASES; `yaml`: an alias without its anchor. */
  readonly code: 'yaml-tag' | 'yaml-alias' | 'yaml';
  readonly message: string;
}

/**
 * Explicit tags other than the core schema's. They are refused, not warned about: a policy file is data, and a tag
 * (`!!js/function`, `!!binary`, `!!set`, `!local`) says its author expected a meaning the loader would not give it;
 * reading the bare scalar instead would decide on something other than what was written.
 */
export function tagProblems(doc: Document, text: string): YamlProblem[] {
  const out: YamlProblem[] = [];
  visit(doc, {
    Node(_, node) {
      const tag = (node as { tag?: string }).tag;
      if (!tag || plainTags.has(tag) || !node.range) return;
      // The tag is written before the value: point at its "!".
      let at = text.lastIndexOf('!', node.range[0]);
      while (at > 0 && /[^\s[\]{},]/.test(text[at - 1]!)) at--; // back to the start of `!!binary`, `!<…>`
      const shown = tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice('tag:yaml.org,2002:'.length)}` : tag;
      out.push({
        offset: at >= 0 ? at : node.range[0],
        code: 'yaml-tag',
        message: `YAML tag ${shown} is not allowed in a policy file (only plain values: strings, numbers, booleans, lists and maps)`,
      });
    },
  });
  return out;
}

/** The nodes an alias's anchor stands for, aliases inside it counted as what they stand for (bounded by `cap`). */
function expansion(doc: Document, node: YamlNode, cap: number, seen: Map<YamlNode, number>): number {
  const known = seen.get(node);
  if (known !== undefined) return known;
  seen.set(node, cap); // a cycle counts as unbounded
  let n = 1;
  if (isAlias(node)) {
    const target = node.resolve(doc);
    n = target ? expansion(doc, target, cap, seen) : 1;
  } else if (isCollection(node)) {
    for (const item of node.items) {
      for (const part of isNode(item) ? [item] : [(item as { key?: unknown }).key, (item as { value?: unknown }).value]) {
        if (isNode(part)) n += expansion(doc, part, cap, seen);
        if (n >= cap) break;
      }
      if (n >= cap) break;
    }
  }
  n = Math.min(n, cap);
  seen.set(node, n);
  return n;
}

/**
 * The document's value (`toJS` with the alias bound), or the problem that stops it: the first alias whose expansion
 * goes past the bound is named at its position, where yaml itself only says "Excessive alias count".
 */
export function yamlValue(doc: Document): { value: unknown; problem?: undefined } | { value?: undefined; problem: YamlProblem } {
  try {
    return { value: doc.toJS({ maxAliasCount: MAX_ALIASES }) };
  } catch (e) {
    if (!(e instanceof ReferenceError) || !/alias/i.test(e.message)) throw e;
    if (!/excessive/i.test(e.message)) {
      // An alias before (or without) its anchor: yaml only finds it when it resolves the value.
      let offset = 0;
      visit(doc, { Alias(_, node) { if (!node.resolve(doc) && node.range) { offset = node.range[0]; return visit.BREAK; } return undefined; } });
      return { problem: { offset, code: 'yaml', message: e.message } };
    }
    const seen = new Map<YamlNode, number>();
    let offset = 0;
    let found = false;
    visit(doc, {
      Alias(_, node) {
        if (found || !node.range) return;
        offset = node.range[0];
        if (expansion(doc, node, MAX_ALIASES * MAX_ALIASES, seen) > MAX_ALIASES) {
          found = true;
          return visit.BREAK;
        }
        return undefined;
      },
    });
    return { problem: { offset, code: 'yaml-alias', message: `YAML aliases expand past ${MAX_ALIASES} nodes here (${e.message}); write the values out instead of aliasing them` } };
  }
}
