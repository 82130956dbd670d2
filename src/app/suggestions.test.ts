// "Did you mean": names and near misses of the real corpus's jurisdictions.
import { describe, expect, it } from 'vitest';
import { loadCorpusOrThrow } from '../policy/load.js';
import { jurisdictionCandidates, nearMatches } from './suggestions.js';

const corpus = loadCorpusOrThrow();
const near = (s: string) => nearMatches(s, jurisdictionCandidates(corpus));

describe('nearMatches', () => {
  it('finds a jurisdiction by its name, alone when the name is exact', () => {
    expect(near('Baltimore County')).toEqual(['us/md/baltimore-county']);
    expect(near('baltimore-city')).toEqual(['us/md/baltimore-city']);
  });
  it('finds misspellings and prefixes', () => {
    expect(near('us/md/montgomery-conty')).toContain('us/md/montgomery-county');
    expect(near('Howard')).toContain('us/md/howard-county');
  });
  it('suggests nothing for what is nowhere near', () => {
    expect(near('atlantis')).toEqual([]);
    expect(near('')).toEqual([]);
  });
});
