// The public listing shapes of jurisdictions and instruments (CLI `--json` and the HTTP API share them).
import { today } from '../vocabulary/dates.js';
import { projectVocabulary } from '../vocabulary/model.js';
import { jurisdictionAgencies, statusOn, type Corpus, type Instrument, type Jurisdiction } from './corpus.js';


/**
 * A jurisdiction as listings show it (contract section 4), with the ids of the instruments it issued, the agencies it
 * has (every vocabulary agency when its file lists none), who runs its jail and its named offices (a school system)
 * when its file says, and its name and note in Spanish where its file gives them.
 */
export function jurisdictionJson(j: Jurisdiction, corpus: Corpus, agencyIds: readonly string[] = projectVocabulary().agencyIds) {
  const instruments = [...corpus.instruments.values()].filter((i) => i.jurisdiction === j.id).map((i) => i.id).sort();
  return {
    id: j.id, name: j.name, kind: j.kind, parent: j.parent, fips: j.fips, instruments,
    agencies: [...jurisdictionAgencies(j, agencyIds)],
    ...(j.jail ? { jail: { run_by: j.jail.runBy, ...(j.jail.name ? { name: j.jail.name } : {}), ...(j.jail.source ? { source: j.jail.source } : {}) } } : {}),
    ...(j.offices ? {
      offices: j.offices.map((o) => ({
        agency: o.agency, name: o.name, ...(o.short ? { short: o.short } : {}),
        ...(o.translations?.es ? { translations: { es: { name: o.translations.es.name } } } : {}),
      })),
    } : {}),
    ...(j.note ? { note: j.note } : {}),
    ...(j.translations?.es ? { translations: { es: translationJson(j.translations.es) } } : {}),
  };
}

/** A jurisdiction's translation as listings show it: the fields its file gives (name, of, note). */
function translationJson(t: NonNullable<NonNullable<Jurisdiction['translations']>['es']>) {
  return { ...(t.name ? { name: t.name } : {}), ...(t.of ? { of: t.of } : {}), ...(t.note ? { note: t.note } : {}) };
}

/** An instrument as listings show it (contract section 4), its status as of `at`, its summary and event notes in Spanish where its file gives them. */
export function instrumentJson(ins: Instrument, at: string = today()) {
  const { status } = statusOn(ins, at);
  return {
    id: ins.id,
    title: ins.title,
    ...(ins.number ? { number: ins.number } : {}),
    jurisdiction: ins.jurisdiction,
    kind: ins.kind,
    ...(ins.issuer ? { issuer: ins.issuer } : {}),
    reach: ins.reach,
    status,
    status_as_of: at,
    binding: ins.binding,
    in_force: ins.inForce.map((iv) => ({ from: iv.from, to: iv.to })),
    confidence: ins.confidence,
    ...(ins.summary ? { summary: ins.summary } : {}),
    ...(ins.translations?.es ? { translations: { es: { summary: ins.translations.es.summary } } } : {}),
    events: ins.events,
    sources: ins.sources,
    discrepancies: ins.discrepancies,
    ...(ins.notes ? { notes: ins.notes } : {}),
    provisions: ins.provisions.map((p) => ({
      id: p.id,
      effect: p.effect,
      requests: p.requests,
      binds: p.binds,
      when: p.when,
      ...(p.exceptionTo.length ? { exception_to: p.exceptionTo } : {}),
      ...(p.voids.length ? { voids: p.voids } : {}),
      ...(p.from ? { from: p.from } : {}),
      ...(p.until ? { until: p.until } : {}),
      instruction: p.instruction,
      quote: p.quote,
      ...(p.paraphrase ? { paraphrase: true } : {}),
      source: p.source,
      confidence: p.confidence,
    })),
  };
}

/** Jurisdictions in id order, instruments by jurisdiction then id. */
export function sortedJurisdictions(corpus: Corpus): Jurisdiction[] {
  return [...corpus.jurisdictions.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
}
/** Instruments by jurisdiction, then id. */
export function sortedInstruments(corpus: Corpus): Instrument[] {
  return [...corpus.instruments.values()].sort((a, b) =>
    a.jurisdiction === b.jurisdiction ? (a.id < b.id ? -1 : 1) : a.jurisdiction < b.jurisdiction ? -1 : 1,
  );
}

/** The policies/README.md table: every instrument, its jurisdiction, kind, status, dates, confidence, provisions and tests. */
export function instrumentsMarkdown(corpus: Corpus, at: string): string {
  const tests = new Map<string, number>();
  for (const suite of corpus.tests) tests.set(suite.instrument, (tests.get(suite.instrument) ?? 0) + suite.cases.length);
  const rows = sortedInstruments(corpus).map((ins) => {
    const j = corpus.jurisdictions.get(ins.jurisdiction)?.name ?? ins.jurisdiction;
    const dates = ins.inForce.map((iv) => `${iv.from} – ${iv.to ?? 'open'}`).join('; ') || 'never in force';
    const cell = (s: string) => s.replace(/\|/g, '\\|');
    return `| \`${ins.id}\` | ${cell(ins.title)} | ${cell(j)} | ${ins.kind.replace(/_/g, ' ')} | ${statusOn(ins, at).status.replace(/_/g, ' ')} | ${dates} | ${ins.confidence} | ${ins.provisions.length} | ${tests.get(ins.id) ?? 0} |`;
  });
  const provisions = [...corpus.provisions.values()];
  const count = (c: string) => provisions.filter((p) => p.confidence === c).length;
  const paraphrases = provisions.filter((p) => p.paraphrase).length;
  const spanish = provisions.filter((p) => p.translations?.es?.instruction.trim()).length;
  const verifiedShare = provisions.length ? Math.round((100 * count('verified')) / provisions.length) : 0;
  return [
    `Provisions: ${provisions.length} — ${count('verified')} verified (${verifiedShare}%), ${count('reported')} reported, ` +
      `${count('unconfirmed')} unconfirmed; ${paraphrases} marked as paraphrases (no verbatim text found); ` +
      `${spanish} with a Spanish instruction.`,
    '',
    `| id | title | jurisdiction | kind | status (${at}) | in force | confidence | provisions | tests |`,
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
