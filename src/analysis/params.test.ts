// Analysis parameters: an agency a jurisdiction does not have, or a request no agency asked about performs, is refused.
import { describe, expect, it } from 'vitest';
import { EnginePool } from './policyTests.js';
import { realCorpus } from './fixtures/corpus.js';
import { AnalysisInputError, diffRequest, gapsRequest, tableRequest, timelineRequest } from './params.js';

const corpus = realCorpus();
const pool = new EnginePool(corpus);
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof AnalysisInputError) return e.error;
    throw e;
  }
  throw new Error('not refused');
};

describe('analysis parameters', () => {
  it('refuses an agency the jurisdiction does not have, listing those it has (Frederick is policed by its sheriff)', () => {
    const error = refusal(() => tableRequest(corpus, pool, { jurisdiction: 'us/md/frederick-county', at: '2026-11-15', agency: ['police'] }));
    expect(error).toMatchObject({ path: 'agency', given: 'police', allowed: ['sheriff', 'corrections', 'executive', 'school'] });
    expect(error.message).toMatch(/us\/md\/frederick-county has no police/);
    expect(refusal(() => timelineRequest(corpus, pool, { jurisdiction: 'us/md/frederick-county', agency: ['police'] }))).toMatchObject({ path: 'agency' });
    expect(refusal(() => gapsRequest(corpus, pool, { jurisdiction: 'us/md/frederick-county', against: 'us/md/montgomery-county', at: '2026-11-15', agency: ['police'] }))).toMatchObject({ path: 'agency' });
    // A diff of two dates of one county: its own agencies.
    expect(refusal(() => diffRequest(corpus, pool, { a: 'us/md/frederick-county', at: '2025-06-01', vsDate: '2026-11-15', agency: ['police'] }))).toMatchObject({ path: 'agency' });
  });

  it('accepts an agency the jurisdiction has, and one that either side of a diff has', () => {
    expect(tableRequest(corpus, pool, { jurisdiction: 'us/md/frederick-county', at: '2026-11-15', agency: ['sheriff'] }).sel.agencies).toEqual(['sheriff']);
    expect(diffRequest(corpus, pool, { a: 'us/md/montgomery-county', b: 'us/md/frederick-county', at: '2019-06-01', agency: ['police'] }).sel.agencies).toEqual(['police']);
    expect(tableRequest(corpus, pool, { all: true, at: '2026-11-15', agency: ['police'] }).sel.agencies).toEqual(['police']);
  });

  it('refuses requests none of the agencies asked about can be asked to do, listing those they can', () => {
    const error = refusal(() => tableRequest(corpus, pool, { jurisdiction: 'us/md/frederick-county', at: '2026-11-15', agency: ['school'], request: ['detain_past_release'] }));
    expect(error).toMatchObject({ path: 'request', given: ['detain_past_release'] });
    expect(error.allowed).toContain('inquire_status');
    expect(error.allowed).not.toContain('detain_past_release');
    // One request of the list that the agency performs is enough: the table shows that one.
    expect(tableRequest(corpus, pool, { jurisdiction: 'us/md/frederick-county', at: '2026-11-15', agency: ['school'], request: ['detain_past_release', 'inquire_status'] }).sel.requests).toHaveLength(2);
  });
});
