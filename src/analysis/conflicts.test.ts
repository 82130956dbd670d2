// check's new findings: scenarios decided `conflict`, and facts no provision reads.
import { describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine.js';
import { fixtureCorpus } from './fixtures/corpus.js';
import { checkCorpus } from './check.js';
import { findConflicts, unreadFacts } from './conflicts.js';

const corpus = fixtureCorpus(true);
const engine = new Engine(corpus);

describe('conflicts and unread facts', () => {
  it('finds the scenarios decided conflict, with the provisions, and each is what decide says', () => {
    const found = findConflicts(engine);
    expect(found.map((c) => c.provisions)).toEqual([['alpha-order#no-notice', 'alpha-order-2#must-notify-gangs']]);
    const where = found[0]!.where;
    expect(where[0]).toMatchObject({ jurisdiction: 'us/md/alpha-county', agency: 'corrections', request: 'notify_release', from: '2020-06-01', when: { matter: ['gang'] } });
    const d = engine.ruling({ date: '2020-06-01', actor: { jurisdiction: 'us/md/alpha-county', agency: 'corrections' }, request: 'notify_release', matter: 'gang', basis: 'none', serious_offense: false });
    expect(d.outcome).toBe('conflict');
  });

  it('reports facts no provision reads, per request', () => {
    const unread = unreadFacts(engine.vocabulary, corpus.provisions.values());
    expect(unread.find((u) => u.fact === 'subject')?.requests).toEqual(['share_personal_info', 'share_status_info', 'assist_enforcement', 'arrest_civil']);
    const withoutGamma = [...corpus.provisions.values()].filter((p) => !p.instrument.startsWith('gamma'));
    expect(unreadFacts(engine.vocabulary, withoutGamma).find((u) => u.fact === 'subject')?.requests.length).toBe(5);
  });

  it('check reports them', () => {
    const report = checkCorpus(corpus);
    const conflict = report.diagnostics.find((d) => d.code === 'conflict');
    expect(conflict?.message).toMatch(/alpha-order#no-notice and alpha-order-2#must-notify-gangs conflict: .* matter=gang/);
    expect(conflict?.position.line).toBeGreaterThan(1);
  });
});
