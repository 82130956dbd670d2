// `trustrules fmt`: policy files normalised to one key order and layout, comments kept.
import { isMap, isPair, isScalar, isSeq, parseDocument, visit, type YAMLMap } from 'yaml';
import { tagProblems, yamlValue } from './yamlChecks.js';

/** The 1-based line of an offset. */
function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

const instrumentOrder = [
  'id', 'title', 'number', 'jurisdiction', 'kind', 'court', 'citation', 'precedent', 'issuer', 'reach', 'confidence', 'summary', 'translations',
  'events', 'sources', 'discrepancies', 'notes', 'provisions',
];
const provisionOrder = [
  'id', 'quote', 'paraphrase', 'source', 'confidence', 'instruction', 'translations', 'binds', 'requests', 'when', 'effect', 'exception_to', 'voids',
  'from', 'until', 'note', 'acknowledge',
];
const eventOrder = ['date', 'type', 'note', 'translations', 'source', 'confidence'];
const testOrder = ['instrument', 'cases'];
const caseOrder = ['name', 'assume_in_force', 'assume_not_in_force', 'scenario', 'expect'];
// A scenario's keys: its facts come in vocabulary order (given by the caller, since reading the vocabulary from disk
// is Node's and this module runs in the browser too), so a fact added to vocabulary/vocabulary.yaml needs no change here.
const scenarioOrder = (factOrder: readonly string[]): string[] => ['date', 'actor', 'request', ...factOrder];

function sortMap(map: unknown, order: readonly string[]): void {
  if (!isMap(map)) return;
  const rank = (k: unknown) => {
    const i = order.indexOf(String(isScalar(k) ? k.value : k));
    return i < 0 ? order.length : i;
  };
  (map as YAMLMap).items.sort((a, b) => (isPair(a) && isPair(b) ? rank(a.key) - rank(b.key) : 0));
}

function eachItem(seq: unknown, f: (item: unknown) => void): void {
  if (isSeq(seq)) for (const item of seq.items) f(item);
}

/**
 * The normalised text of a policy file; unchanged text means the file is already formatted. `factOrder` is the
 * vocabulary's fact ids in its order (`vocabulary().facts.map((f) => f.id)`), the order a test scenario's facts take.
 */
export function formatPolicyText(text: string, kind: 'instrument' | 'test' | 'jurisdiction', factOrder: readonly string[]): string {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length) throw new Error(doc.errors[0]!.message);
  // What load refuses fmt does not rewrite (and an alias bomb would explode in toJSON below).
  const problem = tagProblems(doc, text)[0] ?? yamlValue(doc).problem;
  if (problem) throw new Error(`${problem.message} (line ${lineOf(text, problem.offset)})`);
  const root = doc.contents;
  // The file's opening comment (e.g. the yaml-language-server line) stays at the top when keys move.
  const first = isMap(root) ? root.items[0] : undefined;
  if (first && isPair(first) && isScalar(first.key) && first.key.commentBefore) {
    doc.commentBefore = [doc.commentBefore, first.key.commentBefore].filter(Boolean).join('\n');
    first.key.commentBefore = undefined;
  }
  if (kind === 'instrument') {
    sortMap(root, instrumentOrder);
    if (isMap(root)) {
      eachItem(root.get('events', true), (e) => sortMap(e, eventOrder));
      eachItem(root.get('provisions', true), (p) => sortMap(p, provisionOrder));
    }
  } else if (kind === 'test') {
    sortMap(root, testOrder);
    if (isMap(root)) {
      eachItem(root.get('cases', true), (c) => {
        sortMap(c, caseOrder);
        if (isMap(c)) sortMap(c.get('scenario', true), scenarioOrder(factOrder));
      });
    }
  } else sortMap(root, ['name', 'kind', 'fips', 'note', 'translations']);
  // A one-line map that no longer fits on a line becomes a block map rather than a wrapped flow map.
  visit(doc, {
    Map(_, node) {
      if (node.flow && JSON.stringify(node.toJSON()).length > 90) node.flow = false;
    },
    // Quotes only where YAML needs them: a quoted URL would otherwise be folded with escapes.
    Scalar(_, node) {
      if (node.type === 'QUOTE_DOUBLE' && typeof node.value === 'string' && !/[\n\\"]/.test(node.value)) delete node.type;
    },
  });
  return doc.toString({ indent: 2, indentSeq: true, lineWidth: 100, minContentWidth: 40 });
}

/** Which kind of policy file a path is (jurisdiction, instrument or policy test), from its name. */
export function policyFileKind(file: string): 'instrument' | 'test' | 'jurisdiction' {
  return file.endsWith('.test.yaml') ? 'test' : file.endsWith('jurisdiction.yaml') ? 'jurisdiction' : 'instrument';
}
