// Loads and validates a policy tree (policies/…) into a Corpus, reporting problems with file, line and column.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { packageRoot, vocabulary, type Vocabulary } from '../vocabulary/vocabulary.js';
import {
  defaultReach, exceptionCycleMessage, inExceptionCycle, inForceIntervals, type Condition, type Corpus, type Instrument, type Jurisdiction, type PolicyCase,
  type PolicyTestSuite, type Provision,
} from './corpus.js';
import { PolicyLoadError, type Diagnostic, type Position } from './diagnostics.js';
import { openLazyCorpus } from './lazyCorpus.js';
import { corpusVersion, fileHash, policyFilePaths } from './policyTree.js';
import { tagProblems, yamlValue } from './yamlChecks.js';
import {
  instrumentFileSchema, jurisdictionFileSchema, policyTestFileSchema, type InstrumentFile, type ProvisionFile,
} from './schema.js';

/** The bundled Maryland corpus: policies/ at the package root. */
export const defaultPoliciesRoot = path.join(packageRoot, 'policies');

/** How to load: another vocabulary, and whether to load the policy tests too. */
export interface LoadOptions {
  readonly vocabulary?: Vocabulary;
  /**
   * Also read the policy tests (<id>.test.yaml); not needed to decide. A load with tests (`trustrules test`, `check`)
   * neither reads nor writes the compiled-corpus cache: it checks the files themselves, and must leave no trace.
   */
  readonly tests?: boolean;
  /**
   * Open the corpus lazily (lazyCorpus.ts): walk the tree and hash the files now, compile a jurisdiction's folder when
   * a question first reaches it, with compiled folders cached in parts. For commands that decide; problems in folders
   * no question reaches are left to `check`. Ignored with `tests`.
   */
  readonly lazy?: boolean;
  /** With `lazy`: use the compiled-corpus cache (default true); false compiles every folder reached and writes nothing. */
  readonly cache?: boolean;
}

/** The corpus (absent when an error stops loading) and every diagnostic. */
export interface LoadResult {
  readonly corpus: Corpus | undefined;
  readonly diagnostics: readonly Diagnostic[];
  /** True when the corpus was read back from the compiled-corpus cache instead of parsed. */
  readonly fromCache?: boolean;
}

/** A parsed YAML file that can point at any path inside it. */
class SourceFile {
  readonly doc: Document;
  private readonly lines = new LineCounter();
  constructor(readonly file: string, readonly text: string) {
    this.doc = parseDocument(text, { lineCounter: this.lines, uniqueKeys: true, prettyErrors: false });
  }
  positionOf(offset: number): Position {
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, column: col };
  }
  /** The position of the node at `at` (or of its nearest existing ancestor); `key` points at a map key instead. */
  position(at: readonly (string | number)[], key?: string): Position {
    for (let n = at.length; n >= 0; n--) {
      const node = (n === 0 ? this.doc.contents : this.doc.getIn(at.slice(0, n), true)) as YamlNode | null | undefined;
      if (!node) continue;
      if (key !== undefined && n === at.length && isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
        const k = pair?.key as YamlNode | undefined;
        if (k?.range) return this.positionOf(k.range[0]);
      }
      if (node.range) return this.positionOf(node.range[0]);
    }
    return { file: this.file, line: 1, column: 1 };
  }
}

function asList<T>(v: T | readonly T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? [...(v as T[])] : [v as T];
}

/** A policy file's text, with its path and its path relative to the policy folder. */
export interface PolicyText {
  readonly file: string;
  readonly rel: string;
  readonly text: string;
}

/** An `exception_to` not yet resolved: resolving may need another folder's provisions. */
export interface PendingException {
  /** The ref of the exception. */
  readonly provision: string;
  readonly targets: readonly string[];
  readonly position: Position;
}

/** What a set of policy files compiles to before exceptions are resolved: a whole corpus's, or one folder's. */
export interface CompiledFiles {
  readonly jurisdictions: Jurisdiction[];
  readonly instruments: Instrument[];
  readonly pending: PendingException[];
}

/** Parses one YAML file against a schema, reporting YAML and schema problems at their line and column. */
function parseFile<S extends z.ZodType>(src: SourceFile, schema: S, error: Report): z.infer<S> | undefined {
  if (src.doc.errors.length) {
    for (const e of src.doc.errors) error(src.positionOf(e.pos[0]), 'yaml', e.message.split('\n')[0]!);
    return undefined;
  }
  const tags = tagProblems(src.doc, src.text);
  for (const t of tags) error(src.positionOf(t.offset), t.code, t.message);
  const { value, problem } = yamlValue(src.doc);
  if (problem) error(src.positionOf(problem.offset), problem.code, problem.message);
  if (problem || tags.length) return undefined;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const at = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) error(src.position(at, k), 'schema', `unknown field "${k}" at ${[...at, k].join('.')}`);
    } else {
      const where = at.length ? at.join('.') : 'file';
      const missing = issue.code === 'invalid_type' && src.doc.getIn(at) === undefined;
      error(src.position(at), 'schema', `${where}: ${missing ? 'required field is missing' : issue.message}`);
    }
  }
  return undefined;
}

/**
 * Compiles jurisdiction and instrument files (tests excluded) into jurisdictions and instruments, exceptions left
 * pending. `hasJurisdiction` says which folders hold a jurisdiction.yaml, so a single folder compiles on its own.
 */
export function compileFiles(files: readonly PolicyText[], vocab: Vocabulary, hasJurisdiction: (id: string) => boolean, error: Report): CompiledFiles {
  const jurisdictions: Jurisdiction[] = [];
  const instrumentSources: { src: SourceFile; data: InstrumentFile; folder: string }[] = [];
  for (const { file, rel, text } of files) {
    const folder = path.posix.dirname(rel);
    const src = new SourceFile(file, text);
    if (path.posix.basename(rel) === 'jurisdiction.yaml') {
      const data = parseFile(src, jurisdictionFileSchema, error);
      if (!data) continue;
      const id = folder;
      const parent = id.includes('/') ? id.slice(0, id.lastIndexOf('/')) : null;
      data.agencies?.forEach((a, i) => {
        if (!vocab.agencyIds.includes(a)) error(src.position(['agencies', i]), 'vocabulary', `unknown agency "${a}"; allowed: ${vocab.agencyIds.join(', ')}`);
      });
      if (data.agencies && data.jail && data.jail.run_by !== 'none' && !data.agencies.includes('corrections')) {
        error(src.position(['agencies']), 'vocabulary', `the jail is run by ${data.jail.run_by}, so its staff (agency corrections) must be listed among the agencies`);
      }
      data.offices?.forEach((o, i) => {
        if (!vocab.agencyIds.includes(o.agency)) error(src.position(['offices', i, 'agency']), 'vocabulary', `unknown agency "${o.agency}"; allowed: ${vocab.agencyIds.join(', ')}`);
        else if (data.agencies && !data.agencies.includes(o.agency)) error(src.position(['offices', i, 'agency']), 'vocabulary', `office "${o.name}" is agency ${o.agency}, which is not among this government's agencies`);
      });
      if (parent !== null && !hasJurisdiction(parent)) {
        error({ file, line: 1, column: 1 }, 'unknown-jurisdiction', `parent jurisdiction ${parent} has no jurisdiction.yaml`);
      }
      jurisdictions.push({
        id, parent, name: data.name, kind: data.kind, fips: data.fips,
        ...(data.translations ? { translations: data.translations } : {}),
        ...(data.note ? { note: data.note } : {}),
        ...(data.agencies ? { agencies: data.agencies } : {}),
        ...(data.jail ? { jail: { runBy: data.jail.run_by, ...(data.jail.name ? { name: data.jail.name } : {}), ...(data.jail.source ? { source: data.jail.source } : {}) } } : {}),
        ...(data.offices ? { offices: data.offices } : {}),
        ...(data.sources ? { sources: data.sources } : {}),
        file,
      });
    } else {
      const data = parseFile(src, instrumentFileSchema, error);
      if (data) instrumentSources.push({ src, data, folder });
    }
  }

  const instruments = new Map<string, Instrument>();
  const pending: PendingException[] = [];
  for (const { src, data, folder } of instrumentSources) {
    const expectedName = `${data.id}.yaml`;
    if (path.basename(src.file) !== expectedName) {
      error(src.position(['id']), 'file-name', `instrument id "${data.id}" must live in a file named ${expectedName}`);
    }
    if (data.jurisdiction !== folder) {
      error(src.position(['jurisdiction']), 'jurisdiction-folder', `jurisdiction "${data.jurisdiction}" must match the folder ${folder}`);
    }
    if (!hasJurisdiction(data.jurisdiction)) {
      error(src.position(['jurisdiction']), 'unknown-jurisdiction', `unknown jurisdiction "${data.jurisdiction}" (no ${data.jurisdiction}/jurisdiction.yaml)`);
    }
    if (instruments.has(data.id)) {
      error(src.position(['id']), 'duplicate-id', `instrument id "${data.id}" is also used in ${instruments.get(data.id)!.file}`);
      continue;
    }
    if (data.kind === 'court_decision' && !data.precedent) {
      error(src.position(['kind']), 'court-decision', 'a court_decision must say its precedent: binding or persuasive');
    } else if (data.kind !== 'court_decision' && (data.precedent || data.court)) {
      error(src.position([data.precedent ? 'precedent' : 'court']), 'court-decision', 'precedent and court belong to a court_decision only');
    }
    const instrumentProvisions: Provision[] = [];
    data.provisions.forEach((p, i) => {
      const at = ['provisions', i];
      const provision = buildProvision(data, p, src, at, vocab, error);
      if (!provision) return;
      if (instrumentProvisions.some((q) => q.id === p.id)) {
        error(src.position([...at, 'id']), 'duplicate-id', `provision id "${p.id}" appears twice in ${data.id}`);
        return;
      }
      instrumentProvisions.push(provision);
      const targets = asList(p.exception_to);
      if (targets.length) pending.push({ provision: provision.ref, targets, position: src.position([...at, 'exception_to']) });
    });
    // History is read top to bottom: an event dated before the one above it is a slip (a wrong year), not an order.
    data.events.forEach((e, i) => {
      const before = data.events[i - 1];
      if (before && e.date < before.date) {
        error(src.position(['events', i, 'date']), 'event-order', `event ${i + 1} (${e.type} ${e.date}) is dated before the event above it (${before.type} ${before.date}); list events in date order`);
      }
    });
    const events = data.events.map((e) => ({ ...e }));
    instruments.set(data.id, {
      id: data.id,
      title: data.title,
      ...(data.number ? { number: data.number } : {}),
      jurisdiction: data.jurisdiction,
      kind: data.kind,
      ...(data.issuer ? { issuer: data.issuer } : {}),
      reach: data.reach ?? defaultReach(data.kind),
      ...(data.kind === 'court_decision' ? { precedent: data.precedent ?? 'binding' } : {}),
      ...(data.court ? { court: data.court } : {}),
      ...(data.citation ? { citation: data.citation } : {}),
      confidence: data.confidence,
      ...(data.summary ? { summary: data.summary } : {}),
      ...(data.translations ? { translations: data.translations } : {}),
      events,
      sources: data.sources,
      discrepancies: data.discrepancies ?? [],
      ...(data.notes ? { notes: data.notes } : {}),
      provisions: instrumentProvisions,
      inForce: inForceIntervals(events),
      binding: data.kind !== 'guidance' && !(data.kind === 'court_decision' && data.precedent === 'persuasive'),
      file: src.file,
    });
  }
  return { jurisdictions, instruments: [...instruments.values()], pending };
}

/** Resolves pending exceptions against the provisions `lookup` finds (which may load them), setting `exceptionTo`. */
export function resolveExceptions(pending: readonly PendingException[], lookup: (ref: string) => Provision | undefined, error: Report): void {
  for (const { provision: exceptionRef, targets, position } of pending) {
    const provision = lookup(exceptionRef)!;
    const resolved: string[] = [];
    for (const t of targets) {
      const ref = t.includes('#') ? t : `${provision.instrument}#${t}`;
      const target = lookup(ref);
      if (!target) error(position, 'unknown-reference', `exception_to "${t}": no provision ${ref}`);
      else if (!target.requests.some((r) => provision.requests.includes(r))) {
        error(position, 'exception-scope', `exception_to "${t}": ${ref} covers none of this provision's requests`);
      } else resolved.push(ref);
    }
    (provision as { exceptionTo: readonly string[] }).exceptionTo = resolved;
  }
}

/**
 * Reads a policy tree. Never throws for bad files: problems come back as diagnostics.
 *
 * By default, and always with `tests` (`trustrules test`, `check`), every file is parsed and checked now (exception
 * cycles included), and nothing is cached. With `lazy` the corpus is opened lazily (lazyCorpus.ts): only the folder
 * tree is walked and every file's hash taken for the version; a jurisdiction's folder is compiled, or read from its
 * cached part, when a question first reaches it, and a problem there is thrown then as a PolicyLoadError.
 */
export function loadCorpus(root: string = defaultPoliciesRoot, options: LoadOptions = {}): LoadResult {
  const vocab = options.vocabulary ?? vocabulary();
  const diagnostics: Diagnostic[] = [];
  const error: Report = (position, code, message) => diagnostics.push({ severity: 'error', code, message, position });

  if (options.lazy && !options.tests) {
    const compiler = { compile: (list: readonly PolicyText[], has: (id: string) => boolean, report: Report) => compileFiles(list, vocab, has, report), resolve: resolveExceptions, tests: readPolicyTests };
    const corpus = openLazyCorpus(root, vocab.source, options.cache === false ? undefined : cacheLocation(root, vocab), compiler, error);
    return { corpus: diagnostics.length ? undefined : corpus, diagnostics, fromCache: false };
  }
  let files: string[];
  try {
    files = policyFilePaths(root);
  } catch (e) {
    error({ file: root, line: 1, column: 1 }, 'io', `cannot read policy folder: ${(e as Error).message}`);
    return { corpus: undefined, diagnostics };
  }
  const rels = files.map((file) => ({ file, rel: path.relative(root, file).split(path.sep).join('/') }));
  const policyFiles: PolicyText[] = [];
  const testSources: SourceFile[] = [];
  for (const { file, rel } of rels) {
    if (path.posix.basename(rel).endsWith('.test.yaml')) {
      if (options.tests) testSources.push(new SourceFile(file, readFileSync(file, 'utf8')));
      continue;
    }
    policyFiles.push({ file, rel, text: readFileSync(file, 'utf8') });
  }
  const version = corpusVersion(vocab.source, policyFiles.map((f) => ({ rel: f.rel, hash: fileHash(f.text) })));
  const folders = new Set(policyFiles.filter((f) => path.posix.basename(f.rel) === 'jurisdiction.yaml').map((f) => path.posix.dirname(f.rel)));
  const compiled = compileFiles(policyFiles, vocab, (id) => folders.has(id), error);
  const jurisdictions = new Map(compiled.jurisdictions.map((j) => [j.id, j]));
  const instruments = new Map<string, Instrument>();
  const provisions = new Map<string, Provision>();
  for (const ins of compiled.instruments) {
    instruments.set(ins.id, ins);
    for (const p of ins.provisions) provisions.set(p.ref, p);
  }
  resolveExceptions(compiled.pending, (ref) => provisions.get(ref), error);
  for (const p of provisions.values()) {
    if (inExceptionCycle(p, (ref) => provisions.get(ref)?.exceptionTo)) error(p.position, 'exception-cycle', exceptionCycleMessage(p.ref));
  }

  const tests = policyTestSuites(testSources, (id) => instruments.has(id), (ref) => provisions.has(ref), error);

  const corpus: Corpus = { root, jurisdictions, instruments, provisions, tests, version };
  const ok = !diagnostics.some((d) => d.severity === 'error');
  return { corpus: ok ? corpus : undefined, diagnostics, fromCache: false };
}

/**
 * The policy tests of these `.test.yaml` files, checked against the corpus (their instrument, governing provisions and
 * assumed instruments must exist); problems are reported, and a file with a problem in its head is left out.
 */
function policyTestSuites(testSources: readonly SourceFile[], hasInstrument: (id: string) => boolean, hasProvision: (ref: string) => boolean, error: Report): PolicyTestSuite[] {
  const tests: PolicyTestSuite[] = [];
  for (const src of testSources) {
    const data = parseFile(src, policyTestFileSchema, error);
    if (!data) continue;
    if (!hasInstrument(data.instrument)) {
      error(src.position(['instrument']), 'unknown-reference', `instrument "${data.instrument}" is not in the corpus`);
      continue;
    }
    const ref = (g: string) => (g.includes('#') ? g : `${data.instrument}#${g}`);
    const cases: PolicyCase[] = data.cases.map((c, i) => ({
      name: c.name,
      scenario: c.scenario,
      assumeInForce: c.assume_in_force ?? [],
      assumeNotInForce: c.assume_not_in_force ?? [],
      expect: {
        outcome: c.expect.outcome,
        governing: (c.expect.governing ?? []).map(ref),
        notGoverning: (c.expect.not_governing ?? []).map(ref),
      },
      position: src.position(['cases', i]),
    }));
    cases.forEach((c, i) => {
      for (const g of c.expect.governing) {
        if (!hasProvision(g)) error(src.position(['cases', i, 'expect', 'governing']), 'unknown-reference', `governing "${g}": no such provision`);
      }
      for (const g of c.expect.notGoverning) {
        if (!hasProvision(g)) error(src.position(['cases', i, 'expect', 'not_governing']), 'unknown-reference', `not_governing "${g}": no such provision`);
        if (c.expect.governing.includes(g)) error(src.position(['cases', i, 'expect', 'not_governing']), 'contradiction', `"${g}" is expected both to govern and not to govern`);
      }
      for (const id of [...c.assumeInForce, ...c.assumeNotInForce]) {
        if (!hasInstrument(id)) error(src.position(['cases', i]), 'unknown-reference', `assumed instrument "${id}" is not in the corpus`);
      }
    });
    tests.push({ instrument: data.instrument, file: src.file, cases });
  }

  return tests;
}

/** Reads every policy test of a tree (for a corpus opened lazily, when first asked for); throws PolicyLoadError. */
function readPolicyTests(root: string, hasInstrument: (id: string) => boolean, hasProvision: (ref: string) => boolean): PolicyTestSuite[] {
  const diagnostics: Diagnostic[] = [];
  const error: Report = (position, code, message) => diagnostics.push({ severity: 'error', code, message, position });
  const sources = policyFilePaths(root).filter((file) => file.endsWith('.test.yaml')).map((file) => new SourceFile(file, readFileSync(file, 'utf8')));
  const tests = policyTestSuites(sources, hasInstrument, hasProvision, error);
  if (diagnostics.length) throw new PolicyLoadError(diagnostics);
  return tests;
}

/** Loads a policy tree or throws PolicyLoadError with every diagnostic. */
export function loadCorpusOrThrow(root: string = defaultPoliciesRoot, options: LoadOptions = {}): Corpus {
  const { corpus, diagnostics } = loadCorpus(root, options);
  if (!corpus) throw new PolicyLoadError(diagnostics);
  return corpus;
}

/** Where compile steps report an error. */
export type Report = (position: Position, code: string, message: string) => void;

function buildProvision(
  instrument: InstrumentFile, p: ProvisionFile, src: SourceFile, at: (string | number)[], vocab: Vocabulary, error: Report,
): Provision | undefined {
  let ok = true;
  const fail = (where: (string | number)[], code: string, message: string) => {
    ok = false;
    error(src.position([...at, ...where]), code, message);
  };
  const binds = p.binds ?? vocab.agencyIds;
  binds.forEach((a, i) => {
    if (!vocab.agencyIds.includes(a)) fail(['binds', i], 'vocabulary', `unknown agency "${a}"; allowed: ${vocab.agencyIds.join(', ')}`);
  });
  p.requests.forEach((r, i) => {
    if (!vocab.requestIds.includes(r)) fail(['requests', i], 'vocabulary', `unknown request "${r}"; allowed: ${vocab.requestIds.join(', ')}`);
  });
  const alternatives = p.when === undefined ? [] : Array.isArray(p.when) ? p.when : [p.when];
  const when: Condition[] = alternatives.map((alt, ai) => {
    const altAt = Array.isArray(p.when) ? ['when', ai] : ['when'];
    const condition: Record<string, string[]> = {};
    for (const [factId, spec] of Object.entries(alt)) {
      const fact = vocab.fact(factId);
      if (!fact) {
        fail([...altAt, factId], 'vocabulary', `unknown fact "${factId}"; allowed: ${vocab.facts.map((f) => f.id).join(', ')}`);
        continue;
      }
      const irrelevant = p.requests.filter((r) => !fact.requests.includes(r));
      if (irrelevant.length) {
        fail([...altAt, factId], 'irrelevant-fact', `fact "${factId}" does not matter to request ${irrelevant.join(', ')} (vocabulary facts.${factId}.requests)`);
      }
      const negated = typeof spec === 'object' && spec !== null && !Array.isArray(spec);
      const listed = asList(negated ? (spec as { not: unknown }).not : spec) as (string | boolean)[];
      const ids: string[] = [];
      for (const v of listed) {
        const index = fact.valueIndex(fact.boolean ? (typeof v === 'string' ? v === 'true' ? true : v === 'false' ? false : v : v) : v);
        if (index === undefined) {
          fail([...altAt, factId], 'vocabulary', `fact ${factId}: unknown value ${JSON.stringify(v)}; allowed: ${fact.values.map((x) => x.id).join(', ')}`);
        } else ids.push(fact.values[index]!.id);
      }
      condition[factId] = negated ? fact.values.map((x) => x.id).filter((x) => !ids.includes(x)) : [...new Set(ids)];
    }
    return condition;
  });
  if (p.from && p.until && p.until <= p.from) fail(['until'], 'dates', `until (${p.until}) must be after from (${p.from})`);
  if (!ok) return undefined;
  return {
    id: p.id,
    ref: `${instrument.id}#${p.id}`,
    instrument: instrument.id,
    quote: p.quote.trim(),
    paraphrase: p.paraphrase ?? false,
    source: p.source,
    confidence: p.confidence,
    instruction: p.instruction.trim(),
    translations: Object.fromEntries(
      Object.entries(p.translations ?? {}).map(([lang, t]) => [lang, { instruction: (t?.instruction ?? '').trim() }]),
    ),
    binds,
    requests: p.requests,
    when,
    effect: p.effect,
    exceptionTo: [],
    voids: p.voids ?? [],
    ...(p.from ? { from: p.from } : {}),
    ...(p.until ? { until: p.until } : {}),
    ...(p.note ? { note: p.note } : {}),
    ...(p.acknowledge ? { acknowledge: p.acknowledge } : {}),
    position: src.position(at),
  };
}

const cacheDir = path.join(packageRoot, '.cache', 'corpus');

/**
 * The compiled corpus holds derived fields (inForce, reach, binding, resolved exceptions), so it is only as true as the
 * code that derived them. Bump when the cached shape changes without the code hash seeing it.
 */
const CACHE_FORMAT = 2;

let codeHash: string | undefined;
/**
 * A hash of the code that shapes a compiled corpus: every file of this module's folder (the loader and corpus model),
 * of the vocabulary's and of the engine's, as they run (the built .js under dist, or the .ts sources under a test
 * runner). A changed loader, model or engine therefore misses the cache instead of reading what older code derived.
 */
export function corpusCodeHash(): string {
  if (codeHash) return codeHash;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const hash = createHash('sha256');
  for (const dir of [here, path.join(here, '..', 'vocabulary'), path.join(here, '..', 'engine')]) {
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => /\.(js|ts|mjs)$/.test(n) && !/\.test\.ts$/.test(n)).sort();
    } catch {
      continue;
    }
    for (const name of names) hash.update(`\0${path.basename(dir)}/${name}\0`).update(readFileSync(path.join(dir, name)));
  }
  return (codeHash = hash.digest('hex'));
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version?: string }).version ?? '';
  } catch {
    return '';
  }
}

/** Where a lazy corpus keeps its manifest (file hashes by size and times) and its compiled parts. */
export interface CacheLocation {
  /** The manifest of the policy folder: code-independent, so a code change re-parses but does not re-hash. */
  readonly manifest: string;
  /** The folder of compiled parts, keyed by format, package version, code, vocabulary and policy folder. */
  readonly parts: string;
}

/** The cache location of a policy folder under the package's `.cache/corpus`. */
function cacheLocation(root: string, vocab: Vocabulary): CacheLocation {
  const rootKey = createHash('sha256').update(root).digest('hex').slice(0, 24);
  const partsKey = createHash('sha256').update(`${CACHE_FORMAT}\0${packageVersion()}\0${corpusCodeHash()}\0${fileHash(vocab.source)}\0${root}`).digest('hex').slice(0, 32);
  return { manifest: path.join(cacheDir, `manifest-${rootKey}.bin`), parts: path.join(cacheDir, partsKey) };
}
