// Loading policy trees: good trees load, bad files are reported with file, line, column and what was expected.
import { appendFileSync, cpSync, existsSync, mkdtempSync, mkdirSync, readdirSync, symlinkSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../vocabulary/vocabulary.js';
import { afterEach, describe, expect, it } from 'vitest';
import { lazyCorpusStats } from './lazyCorpus.js';
import { loadCorpus, loadCorpusOrThrow } from './load.js';
import { PolicyLoadError } from './diagnostics.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'trustrules-load-'));
  dirs.push(root);
  const base: Record<string, string> = {
    'us/jurisdiction.yaml': 'name: United States\nkind: federal\nfips: US\n',
    'us/md/jurisdiction.yaml': 'name: Maryland\nkind: state\nfips: "24"\n',
  };
  for (const [rel, text] of Object.entries({ ...base, ...files })) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

const instrument = (body: string) => `id: md-law
title: A law
jurisdiction: us/md
kind: statute
confidence: verified
events:
  - { date: 2020-01-01, type: effective }
sources: [{ citation: test }]
provisions:
${body}`;

const provision = `  - id: no-ask
    quote: shall not ask
    source: test
    confidence: verified
    instruction: Do not ask.
    requests: [inquire_status]
    effect: prohibit
`;

describe('loadCorpus', () => {
  it('loads a good tree with derived parents, intervals and a version hash', () => {
    const corpus = loadCorpusOrThrow(tree({ 'us/md/md-law.yaml': instrument(provision) }));
    expect(corpus.jurisdictions.get('us/md')).toMatchObject({ parent: 'us', kind: 'state', fips: '24' });
    expect(corpus.instruments.get('md-law')).toMatchObject({ reach: 'territory', binding: true, inForce: [{ from: '2020-01-01', to: null }] });
    expect(corpus.provisions.get('md-law#no-ask')?.binds).toEqual(['police', 'sheriff', 'corrections', 'executive', 'school']);
    expect(corpus.version).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('reads a cached compile of unchanged files back equal to a fresh parse, and misses the cache after a change', () => {
    const root = tree({ 'us/md/md-law.yaml': instrument(provision) });
    const fresh = loadCorpusOrThrow(root, { tests: true });
    loadCorpusOrThrow(root, { lazy: true }).instruments.size;
    const cached = loadCorpusOrThrow(root, { lazy: true });
    expect(cached.version).toBe(fresh.version);
    expect(JSON.parse(JSON.stringify([...cached.instruments.values()]))).toEqual(JSON.parse(JSON.stringify([...fresh.instruments.values()])));
    expect([...cached.jurisdictions.values()]).toEqual([...fresh.jurisdictions.values()]);
    expect(cached.provisions.get('md-law#no-ask')).toEqual(cached.instruments.get('md-law')!.provisions[0]);
    writeFileSync(path.join(root, 'us/md/md-law.yaml'), instrument(provision.replace('Do not ask.', 'Never ask.')));
    expect(loadCorpusOrThrow(root, { lazy: true }).provisions.get('md-law#no-ask')!.instruction).toBe('Never ask.');
  });

  it('never reads or writes the cache when loading with tests (trustrules test, check), nor when asked not to', () => {
    const root = tree({ 'us/md/md-law.yaml': instrument(provision) });
    expect(lazyCorpusStats(loadCorpusOrThrow(root, { tests: true }))).toBeUndefined();
    expect(lazyCorpusStats(loadCorpusOrThrow(root))).toBeUndefined();
    const uncached = loadCorpusOrThrow(root, { lazy: true, cache: false });
    uncached.instruments.get('md-law');
    expect(lazyCorpusStats(uncached)).toEqual({ parsed: 1, cached: 0 });
    // None of these loads wrote a part: the first cached lazy load compiles the folder, the next one reads it back.
    const first = loadCorpusOrThrow(root, { lazy: true });
    expect(first.instruments.get('md-law')?.provisions[0]?.instruction).toBe('Do not ask.');
    expect(lazyCorpusStats(first)).toEqual({ parsed: 1, cached: 0 });
    const second = loadCorpusOrThrow(root, { lazy: true });
    expect(second.instruments.get('md-law')?.inForce).toEqual([{ from: '2020-01-01', to: null }]);
    expect(lazyCorpusStats(second)).toEqual({ parsed: 0, cached: 1 });
    expect(second.version).toBe(first.version);
    expect(loadCorpusOrThrow(root, { tests: true }).version).toBe(first.version);
  });

  it('reads only the folders a question reaches, and reports a bad file when its folder is reached', () => {
    const root = tree({
      'us/md/md-law.yaml': instrument(provision),
      'us/va/jurisdiction.yaml': 'name: Virginia\nkind: state\nfips: "51"\n',
      'us/va/va-law.yaml': instrument(provision.replace('effect: prohibit', 'effect: forbid')).replace(/md-law/g, 'va-law').replace('us/md', 'us/va'),
    });
    const corpus = loadCorpusOrThrow(root, { lazy: true });
    expect([...corpus.jurisdictions.keys()].sort()).toEqual(['us', 'us/md', 'us/va']);
    expect(corpus.instruments.has('va-law')).toBe(true);
    expect(corpus.instruments.get('md-law')?.id).toBe('md-law');
    expect(lazyCorpusStats(corpus)).toEqual({ parsed: 1, cached: 0 });
    expect(() => corpus.instruments.get('va-law')).toThrow(PolicyLoadError);
    expect(() => corpus.instruments.get('va-law')).toThrow(/va-law\.yaml:\d+:\d+: error \[schema\]/);
    expect(loadCorpus(root, { tests: true }).corpus).toBeUndefined();
  });

  it('lets go of the folders a walk no longer holds, and compiles one again, the same, when it is asked for again', () => {
    const root = tree({
      'us/md/md-law.yaml': instrument(provision),
      'us/va/jurisdiction.yaml': 'name: Virginia\nkind: state\nfips: "51"\n',
      'us/va/va-law.yaml': instrument(provision).replace(/md-law/g, 'va-law').replace('us/md', 'us/va'),
    });
    const corpus = loadCorpusOrThrow(root, { lazy: true, cache: false });
    expect([...corpus.folders!()].sort()).toEqual(['us', 'us/md', 'us/va']);
    const first = corpus.instruments.get('md-law');
    corpus.instruments.get('va-law');
    expect(lazyCorpusStats(corpus)).toEqual({ parsed: 2, cached: 0 });
    corpus.release!((folder) => folder === 'us/va');
    expect(corpus.instruments.get('va-law')?.id).toBe('va-law');
    expect(lazyCorpusStats(corpus)).toEqual({ parsed: 2, cached: 0 });
    const again = corpus.provisions.get('md-law#no-ask');
    expect(lazyCorpusStats(corpus)).toEqual({ parsed: 3, cached: 0 });
    expect(again).not.toBe(first!.provisions[0]);
    expect(again).toEqual(first!.provisions[0]);
  });

  it('reads the policy tests of a lazily opened corpus when first asked for, as an eager load does', () => {
    const test = (governing: string) => `instrument: md-law
cases:
  - name: asks
    scenario: { date: 2021-01-01, actor: { jurisdiction: us/md, agency: police }, request: inquire_status }
    expect: { outcome: prohibited, governing: [ ${governing} ] }
`;
    const root = tree({ 'us/md/md-law.yaml': instrument(provision), 'us/md/md-law.test.yaml': test('no-ask') });
    const lazy = loadCorpusOrThrow(root, { lazy: true });
    expect(lazyCorpusStats(lazy)).toEqual({ parsed: 0, cached: 0 });
    expect(JSON.parse(JSON.stringify(lazy.tests))).toEqual(JSON.parse(JSON.stringify(loadCorpusOrThrow(root, { tests: true }).tests)));
    expect(lazy.tests[0]?.cases[0]?.expect.governing).toEqual(['md-law#no-ask']);
    writeFileSync(path.join(root, 'us/md/md-law.test.yaml'), test('no-such'));
    expect(() => loadCorpusOrThrow(root, { lazy: true }).tests).toThrow(/governing "md-law#no-such": no such provision/);
  });

  it('misses the cache when the loader\'s code changes, even with the same policy files (the built package, changed byte by byte)', async () => {
    // A copy of the built domain layers in a package of its own, so its cache and code can be changed freely.
    const built = path.join(packageRoot, 'dist');
    if (!existsSync(path.join(built, 'policy', 'load.js'))) throw new Error(`needs the build (npm run build): no ${built}/policy/load.js`);
    const pkg = mkdtempSync(path.join(tmpdir(), 'trustrules-pkg-'));
    dirs.push(pkg);
    for (const layer of ['policy', 'engine', 'vocabulary']) cpSync(path.join(built, layer), path.join(pkg, 'dist', layer), { recursive: true });
    cpSync(path.join(packageRoot, 'vocabulary'), path.join(pkg, 'vocabulary'), { recursive: true });
    cpSync(path.join(packageRoot, 'package.json'), path.join(pkg, 'package.json'));
    symlinkSync(path.join(packageRoot, 'node_modules'), path.join(pkg, 'node_modules'), 'dir');
    const loader = path.join(pkg, 'dist', 'policy', 'load.js');
    type Loader = typeof import('./load.js');
    const load = async (tag: string) => {
      const { loadCorpusOrThrow: open } = (await import(`${pathToFileURL(loader).href}?${tag}`)) as Loader;
      return (policies: string) => {
        const corpus = open(policies, { lazy: true });
        corpus.instruments.get('md-law');
        return { corpus, stats: lazyCorpusStats(corpus) };
      };
    };
    const root = tree({ 'us/md/md-law.yaml': instrument(provision) });

    const before = await load('before');
    expect(before(root).stats).toEqual({ parsed: 1, cached: 0 });
    expect(before(root).stats).toEqual({ parsed: 0, cached: 1 });
    // The same code loaded afresh still hits: the key is the code's bytes, not the process.
    expect((await load('again'))(root).stats).toEqual({ parsed: 0, cached: 1 });

    appendFileSync(loader, '\n// a changed loader\n');
    const after = await load('after');
    const changed = after(root);
    expect(changed.stats).toEqual({ parsed: 1, cached: 0 });
    expect(changed.corpus.instruments.get('md-law')?.inForce).toEqual([{ from: '2020-01-01', to: null }]);
    expect(after(root).stats).toEqual({ parsed: 0, cached: 1 });
    expect(readdirSync(path.join(pkg, '.cache', 'corpus')).filter((n) => !n.startsWith('manifest-'))).toHaveLength(2);
  });

  it('reports an unknown value with line and column and the allowed values', () => {
    const root = tree({ 'us/md/md-law.yaml': instrument(provision.replace('effect: prohibit', 'effect: forbid')) });
    const { corpus, diagnostics } = loadCorpus(root);
    expect(corpus).toBeUndefined();
    const d = diagnostics.find((x) => x.code === 'schema')!;
    expect(d.position).toMatchObject({ file: path.join(root, 'us/md/md-law.yaml'), line: 16, column: 13 });
    expect(d.message).toMatch(/provisions\.0\.effect/);
    expect(d.message).toMatch(/prohibit/);
  });

  it('reports a misspelt field at the key', () => {
    const { diagnostics } = loadCorpus(tree({ 'us/md/md-law.yaml': instrument(provision.replace('requests:', 'request:')) }));
    expect(diagnostics.map((d) => [d.code, d.position.line, d.position.column])).toEqual(
      expect.arrayContaining([['schema', 15, 5]]),
    );
    expect(diagnostics.some((d) => d.message.includes('unknown field "request"'))).toBe(true);
    expect(diagnostics.some((d) => d.message.includes('provisions.0.requests: required field is missing'))).toBe(true);
  });

  it('reports YAML syntax errors with their position', () => {
    const { diagnostics } = loadCorpus(tree({ 'us/md/md-law.yaml': 'id: md-law\ntitle: [unclosed\n' }));
    expect(diagnostics[0]).toMatchObject({ code: 'yaml', severity: 'error' });
    expect(diagnostics[0]!.position.line).toBeGreaterThanOrEqual(2);
  });

  it('checks vocabulary: agencies, requests, facts, values and relevance', () => {
    const bad = provision
      .replace('requests: [inquire_status]', 'requests: [inquire_status]\n    binds: [fbi]\n    when: { place: library, colour: red, basis: warrant }');
    const { diagnostics } = loadCorpus(tree({ 'us/md/md-law.yaml': instrument(bad) }));
    const messages = diagnostics.map((d) => d.message).join('\n');
    expect(messages).toMatch(/unknown agency "fbi"/);
    expect(messages).toMatch(/fact "place" does not matter to request inquire_status/);
    expect(messages).toMatch(/unknown fact "colour"/);
    expect(messages).toMatch(/fact basis: unknown value "warrant"; allowed: none, ice_detainer/);
  });

  it('checks a jurisdiction\'s agencies: known ids, and corrections wherever it runs a jail', () => {
    const { diagnostics } = loadCorpus(tree({
      'us/md/a-county/jurisdiction.yaml': 'name: A County\nkind: county\nfips: "24001"\nagencies: [ sheriff, fbi ]\n',
      'us/md/b-county/jurisdiction.yaml': 'name: B County\nkind: county\nfips: "24003"\nagencies: [ sheriff, executive ]\njail: { run_by: sheriff }\n',
      'us/md/c-county/jurisdiction.yaml': 'name: C County\nkind: county\nfips: "24005"\nagencies: [ sheriff, corrections ]\njail: { run_by: sheriff }\n',
    }));
    const messages = diagnostics.map((d) => `${path.basename(path.dirname(d.position.file))}:${d.position.line}: ${d.message}`).join('\n');
    expect(messages).toMatch(/a-county:4: unknown agency "fbi"/);
    expect(messages).toMatch(/b-county:4: the jail is run by sheriff, so its staff \(agency corrections\) must be listed/);
    expect(messages).not.toMatch(/c-county/);
  });

  it('checks a jurisdiction\'s named offices: a known agency the government has', () => {
    const office = (agency: string) => `offices:\n  - agency: ${agency}\n    name: D Schools\n`;
    const { corpus, diagnostics } = loadCorpus(tree({
      'us/md/d-county/jurisdiction.yaml': `name: D County\nkind: county\nfips: "24001"\nagencies: [ executive, school ]\n${office('school')}`,
      'us/md/e-county/jurisdiction.yaml': `name: E County\nkind: county\nfips: "24003"\nagencies: [ executive ]\n${office('school')}`,
      'us/md/f-county/jurisdiction.yaml': `name: F County\nkind: county\nfips: "24005"\n${office('fbi')}`,
    }));
    const messages = diagnostics.map((d) => `${path.basename(path.dirname(d.position.file))}:${d.position.line}: ${d.message}`).join('\n');
    expect(messages).toMatch(/e-county:6: office "D Schools" is agency school, which is not among this government's agencies/);
    expect(messages).toMatch(/f-county:5: unknown agency "fbi"/);
    expect(messages).not.toMatch(/d-county/);
    expect(corpus).toBeUndefined();
  });

  it('reads a jurisdiction\'s Spanish note beside its Spanish name, either without the other, and refuses an unknown field there', () => {
    const { corpus } = loadCorpus(tree({
      'us/md/g-county/jurisdiction.yaml': 'name: G County\nkind: county\nfips: "24001"\nnote: No instrument known.\ntranslations:\n  es:\n    name: Condado de G\n    note: No se conoce ningún instrumento.\n',
      'us/md/g-county/g-town/jurisdiction.yaml': 'name: G Town\nkind: city\nfips: "2400001"\nnote: A town.\ntranslations: { es: { note: Un pueblo. } }\n',
      'us/md/h-county/jurisdiction.yaml': 'name: H County\nkind: county\nfips: "24003"\ntranslations: { es: { name: Condado de H } }\n',
    }));
    expect(corpus!.jurisdictions.get('us/md/g-county')!.translations).toEqual({ es: { name: 'Condado de G', note: 'No se conoce ningún instrumento.' } });
    expect(corpus!.jurisdictions.get('us/md/g-county/g-town')!.translations).toEqual({ es: { note: 'Un pueblo.' } });
    expect(corpus!.jurisdictions.get('us/md/h-county')!.translations).toEqual({ es: { name: 'Condado de H' } });
    const bad = loadCorpus(tree({ 'us/md/i-county/jurisdiction.yaml': 'name: I County\nkind: county\nfips: "24005"\ntranslations:\n  es:\n    nota: Ninguno.\n' }));
    expect(bad.diagnostics.map((d) => `${d.position.line}: ${d.message}`)).toEqual(['6: unknown field "nota" at translations.es.nota']);
  });

  it('reads an instrument\'s Spanish summary and an event\'s Spanish note, and refuses an unknown field there', () => {
    const law = (summary: string, event: string) => instrument('  - { id: p, quote: q, source: s, confidence: verified, instruction: i, requests: [inquire_status], effect: prohibit }\n')
      .replace('confidence: verified\nevents:\n  - { date: 2020-01-01, type: effective }', `confidence: verified\n${summary}events:\n${event}`);
    const { corpus } = loadCorpus(tree({
      'us/md/md-law.yaml': law(
        'summary: A law.\ntranslations:\n  es:\n    summary: Una ley.\n',
        '  - date: 2020-01-01\n    type: effective\n    note: In force that day.\n    translations: { es: { note: En vigor ese día. } }\n',
      ),
    }));
    const ins = corpus!.instruments.get('md-law')!;
    expect(ins.translations).toEqual({ es: { summary: 'Una ley.' } });
    expect(ins.events[0]!.translations).toEqual({ es: { note: 'En vigor ese día.' } });
    const bad = loadCorpus(tree({ 'us/md/md-law.yaml': law('summary: A law.\ntranslations: { es: { resumen: Una ley. } }\n', '  - { date: 2020-01-01, type: effective, note: x, translations: { es: { nota: y } } }\n') }));
    expect(bad.diagnostics.map((d) => d.message)).toEqual([
      'translations.es.summary: required field is missing', 'unknown field "resumen" at translations.es.resumen',
      'events.0.translations.es.note: required field is missing', 'unknown field "nota" at events.0.translations.es.nota',
    ]);
  });

  it('checks references, file names and folders', () => {
    const { diagnostics } = loadCorpus(tree({
      'us/md/other-name.yaml': instrument(`${provision}  - id: except
    quote: q
    source: s
    confidence: verified
    instruction: i
    requests: [inquire_status]
    effect: permit
    exception_to: missing
`).replace('jurisdiction: us/md', 'jurisdiction: us/md/nowhere'),
    }));
    const codes = diagnostics.map((d) => d.code);
    expect(codes).toEqual(expect.arrayContaining(['file-name', 'jurisdiction-folder', 'unknown-jurisdiction', 'unknown-reference']));
  });

  it('reports exception cycles', () => {
    const cyc = (id: string, target: string) => `  - id: ${id}
    quote: q
    source: s
    confidence: verified
    instruction: i
    requests: [inquire_status]
    effect: permit
    exception_to: ${target}
`;
    const { diagnostics } = loadCorpus(tree({ 'us/md/md-law.yaml': instrument(cyc('a', 'b') + cyc('b', 'a')) }));
    expect(diagnostics.filter((d) => d.code === 'exception-cycle')).toHaveLength(2);
  });

  it('throws a PolicyLoadError listing every error', () => {
    expect(() => loadCorpusOrThrow(tree({ 'us/md/md-law.yaml': 'id: [' }))).toThrow(PolicyLoadError);
  });
});
