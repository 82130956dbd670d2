// `trustrules report`, `report verify` and `report audit` in process on a real store (PGlite with the server stopped,
// and PostgreSQL): a journalist's quarterly report written to a file verifies against the log's key, a changed count
// does not (nor one nested thousands deep, refused without a stack trace), the auditor recomputes the same bytes,
// `--at-size` gives an earlier checkpoint's report byte for byte, and the threshold comes from its flag or
// TRUSTRULES_SUPPRESSION_THRESHOLD.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide } from '../../app/presentation/decisions.js';
import { Engine } from '../../engine/engine.js';
import { loadCorpus } from '../../policy/load.js';
import { cliInProcess as cli, storePolicies } from '../fixtures/inProcess.js';
import { isDeviation } from '../../store/contactInput.js';
import { openContactStore } from '../../store/open.js';
import type { SignedContactReport } from '../../store/report.js';
import { databaseKinds, freshStore, type TestStore } from '../../store/testDatabases.js';
import { addUser } from '../../store/users.js';

const engine = new Engine(loadCorpus(storePolicies).corpus!);
const COUNTY = 'us/md/example-county';


describe.each(databaseKinds)('trustrules report on %s', (kind) => {
  let t: TestStore;
  let where: string[];
  let key = '';
  const file = (name: string) => path.join(t.dir, name);
  const q1 = ['--jurisdiction', COUNTY, '--from', '2026-01-01', '--to', '2026-03-31'];

  beforeAll(async () => {
    t = await freshStore(kind);
    where = t.config.databaseUrl ? ['--database-url', t.config.databaseUrl, '--log-key-file', t.config.keyFile] : ['--data', t.config.dataDir];
    const open = await openContactStore(t.config);
    const { user } = await addUser(open.db, { name: 'clerk', role: 'staff', jurisdiction: COUNTY });
    for (let i = 0; i < 11; i++) {
      const scenario = { date: `2026-0${1 + (i % 3)}-10`, actor: { jurisdiction: COUNTY, agency: 'police' }, request: 'grant_facility_access', basis: 'ice_administrative_warrant' };
      const decision = decide(engine, scenario);
      const action = i < 8 ? 'declined' : 'complied';
      await open.store.append({ scenario, jurisdiction: COUNTY, agency: 'police', occurred_at: `${scenario.date}T09:00:00-05:00`, agent: 'ice_ero', action, decision, deviation: isDeviation(decision.outcome, action) }, user);
    }
    key = open.store.signer.verifierKey;
    await open.close();
  }, 120_000);
  afterAll(async () => t?.dispose());

  it('writes a signed quarterly report that verifies with the public key, and the auditor recomputes it', async () => {
    const made = await cli(['report', ...where, ...q1, '--out', file('q1.json')]);
    expect(made.code, made.err).toBe(0);
    expect(made.err).toContain('at checkpoint 11');
    const report = JSON.parse(readFileSync(file('q1.json'), 'utf8')) as SignedContactReport;
    // 3 complied (below 5) and 8 declined: the 8 is suppressed too, or 11 - 8 would give the 3 away.
    expect(report.rows.map((r) => [r.kind, r.action, r.count])).toEqual([['total', null, 11], ['cell', 'complied', '<5'], ['cell', 'declined', 'suppressed']]);
    writeFileSync(file('key.txt'), `${key}\n`);
    for (const k of [key, file('key.txt')]) {
      const v = await cli(['report', 'verify', file('q1.json'), '--key', k]);
      expect(v.code, v.err).toBe(0);
      expect(v.out).toContain('ok: the report is signed by');
    }
    const es = await cli(['--lang', 'es', 'report', 'verify', file('q1.json'), '--key', key]);
    expect(es.out).toContain('correcto: el informe está firmado');
    const audit = await cli(['report', 'audit', file('q1.json'), ...where]);
    expect(audit.code, audit.err + audit.out).toBe(0);
    expect(audit.out).toContain('byte for byte');
  });

  it('refuses a report with a count changed, and one checked against another key', async () => {
    const text = readFileSync(file('q1.json'), 'utf8');
    writeFileSync(file('changed.json'), text.replace('"count":11', '"count":12'));
    const changed = await cli(['report', 'verify', file('changed.json'), '--key', key]);
    expect(changed.code).toBe(1);
    expect(changed.err).toContain('changed after it was signed');
    const other = await cli(['report', 'verify', file('q1.json'), '--key', 'other.example+01234567+AeZ6yE0ZrQzSHkLrMLj9YQpY1yE0ZrQzSHkLrMLj9YQp']);
    expect(other.code).not.toBe(0);
    // A signed report with thousands of nested brackets in place of its query: refused with the reason, no stack.
    writeFileSync(file('deep.json'), text.replace(/"query":\{[^}]*\}/, `"query":${'['.repeat(5000)}${']'.repeat(5000)}`));
    for (const verb of [['verify', file('deep.json'), '--key', key], ['audit', file('deep.json'), ...where]]) {
      const deep = await cli(['report', ...verb]);
      expect(deep.code, deep.err).toBe(1);
      expect(deep.err).toContain('nested deeper than 64 levels');
      expect(deep.err + deep.out).not.toContain('RangeError');
    }
  });

  it('recomputes an earlier checkpoint byte for byte with --at-size, and takes the threshold from the environment', async () => {
    const now = await cli(['report', ...where, ...q1, '--at-size', '11']);
    expect(now.code, now.err).toBe(0);
    expect(now.out).toBe(readFileSync(file('q1.json'), 'utf8'));
    const early = await cli(['report', ...where, ...q1, '--at-size', '4', '--by', 'month']);
    expect(early.code, early.err).toBe(0);
    expect((JSON.parse(early.out) as SignedContactReport).checkpoint.size).toBe(4);
    process.env.TRUSTRULES_SUPPRESSION_THRESHOLD = '12';
    try {
      const strict = await cli(['report', ...where, ...q1, '--csv']);
      expect(strict.code, strict.err).toBe(0);
      expect(strict.out.split('\n')[1]).toBe(`2026-Q1,${COUNTY},total,,,,,,,<12,published`);
      expect(strict.out.split('\n').slice(2, 4).map((l) => l.split(',').at(-2))).toEqual(['<12', '<12']);
    } finally {
      delete process.env.TRUSTRULES_SUPPRESSION_THRESHOLD;
    }
    const bad = await cli(['report', ...where, ...q1, '--suppression-threshold', '2']);
    expect(bad.code).toBe(2);
    const off = await cli(['report', ...where, '--jurisdiction', COUNTY, '--from', '2026-01-05', '--to', '2026-03-31']);
    expect(off.code).toBe(2);
    expect(off.out + off.err).toContain('2026-01-01');
  });
});
