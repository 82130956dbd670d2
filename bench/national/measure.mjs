#!/usr/bin/env node
// Measures one build of trustrules against Maryland alone and a national corpus (bench/national/generate.mjs):
// cold and warm `decide`, `decide --jsonl` per-decision speed, `npm start` time to first answer, peak RSS, `check`.
// Usage: node bench/national/measure.mjs --build DIR --national DIR [--lines N] [--check-timeout S] [--only a,b]
// DIR is a checkout with dist built (the one measured); its .cache is cleared for the cold runs.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const build = path.resolve(opt('build', '.'));
const national = path.resolve(opt('national', '/tmp/national'));
const maryland = path.join(build, 'policies');
const lines = Number(opt('lines', '100000'));
const checkTimeout = Number(opt('check-timeout', '300'));
const only = opt('only', 'decide,jsonl,start,check').split(',');
const work = path.join(tmpdir(), `trustrules-measure-${process.pid}`);
mkdirSync(work, { recursive: true });
const bin = path.join(build, 'bin', 'trustrules');

/** Runs a command under /usr/bin/time; seconds of wall time and of CPU (user + sys), peak RSS in MB, 1-minute load. */
function timed(cmd, cmdArgs, { input, timeout } = {}) {
  const load = loadavg()[0].toFixed(1);
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', cmd, ...cmdArgs], {
    cwd: build, input, encoding: 'utf8', maxBuffer: 1 << 30, timeout: timeout ? timeout * 1000 : undefined, stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  if (r.error?.code === 'ETIMEDOUT' || r.signal) return { seconds: `>${timeout}`, rssMb: undefined, status: 'timeout', stdout: '', load };
  const last = r.stderr.trim().split('\n').pop().split(' ');
  const cpuSeconds = Math.round((Number(last[2]) + Number(last[3])) * 100) / 100;
  return { seconds: Number(last[0]), cpuSeconds, rssMb: Math.round(Number(last[1]) / 1024), status: r.status, stdout: r.stdout, load };
}

/** Jurisdiction ids of a policy tree, from its folders (a folder with jurisdiction.yaml). */
function jurisdictionsOf(root, filter) {
  const out = [];
  const walk = (dir, rel) => {
    const entries = readdirSync(dir, { withFileTypes: true });
    if (entries.some((e) => e.name === 'jurisdiction.yaml') && filter(rel)) out.push(rel);
    for (const e of entries) if (e.isDirectory()) walk(path.join(dir, e.name), rel ? `${rel}/${e.name}` : e.name);
  };
  walk(root, '');
  return out.sort();
}

let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = (list) => list[Math.floor(rand() * list.length)];
// Every request in vocabulary/vocabulary.yaml (those added since session 6 included).
const requests = [
  'detain_past_release', 'notify_release', 'inquire_status', 'grant_facility_access', 'share_personal_info', 'assist_enforcement', 'arrest_civil',
  'invite_status_disclosure', 'transfer_custody', 'grant_custody_access', 'share_status_info', 'immigration_agreement', 'detention_agreement',
];
function scenarios(jurisdictions, n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    out.push(JSON.stringify({
      date: `20${pick(['18', '20', '22', '24', '25', '26'])}-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}`,
      actor: { jurisdiction: pick(jurisdictions), agency: pick(['police', 'sheriff', 'corrections', 'executive', 'school']) },
      request: pick(requests),
      basis: pick(['none', 'ice_detainer', 'judicial_warrant', 'unknown']),
      matter: pick(['civil_immigration', 'drugs', 'unknown']),
    }));
  }
  return `${out.join('\n')}\n`;
}

const results = {};
const clearCache = () => rmSync(path.join(build, '.cache'), { recursive: true, force: true });
const allNational = jurisdictionsOf(national, (j) => j.split('/').length >= 3);
// Only Maryland jurisdictions both trees have: a national tree generated before a Maryland change (new municipalities)
// would otherwise answer their lines with 9,360-id errors, and measure those.
const inNational = new Set(allNational);
const mdJurisdictions = jurisdictionsOf(maryland, (j) => j.startsWith('us/md/')).filter((j) => inNational.has(j));
const one = path.join(work, 'one.json');
writeFileSync(one, scenarios(['us/md/montgomery-county'], 1));

for (const [label, root] of [['maryland', maryland], ['national', national]]) {
  const r = (results[label] = {});
  if (only.includes('decide')) {
    clearCache();
    r.coldDecide = timed(bin, ['--policies', root, 'decide', one]);
    r.warmDecide = timed(bin, ['--policies', root, 'decide', one]);
    r.warmDecide2 = timed(bin, ['--policies', root, 'decide', one]);
    for (const k of ['coldDecide', 'warmDecide', 'warmDecide2']) delete r[k].stdout;
  }
  if (only.includes('jsonl')) {
    // The same Maryland questions against each corpus: the ratio is what the national files cost a Maryland user.
    const input = scenarios(mdJurisdictions, lines);
    timed(bin, ['--policies', root, 'decide', '--jsonl', '-'], { input: scenarios(mdJurisdictions, 10) });
    const small = timed(bin, ['--policies', root, 'decide', '--jsonl', '-'], { input: scenarios(mdJurisdictions, 10) });
    const big = timed(bin, ['--policies', root, 'decide', '--jsonl', '-'], { input });
    const perSecond = Math.round(lines / Math.max(0.001, big.seconds - small.seconds));
    const cpuPerSecond = Math.round(lines / Math.max(0.001, big.cpuSeconds - small.cpuSeconds));
    r.jsonlMaryland = { lines, seconds: big.seconds, cpuSeconds: big.cpuSeconds, startSeconds: small.seconds, startCpuSeconds: small.cpuSeconds, decisionsPerSecond: perSecond, decisionsPerCpuSecond: cpuPerSecond, rssMb: big.rssMb, load: big.load };
    if (label === 'national') {
      const spread = scenarios(allNational, lines / 10);
      const s = timed(bin, ['--policies', root, 'decide', '--jsonl', '-'], { input: spread });
      r.jsonlNationwide = { lines: lines / 10, seconds: s.seconds, cpuSeconds: s.cpuSeconds, decisionsPerSecond: Math.round(lines / 10 / Math.max(0.001, s.seconds - small.seconds)), rssMb: s.rssMb, load: s.load };
    }
  }
  if (only.includes('start')) r.start = await startToFirstAnswer(root);
  if (only.includes('check')) {
    const c = timed(bin, ['--policies', root, 'check'], { timeout: checkTimeout });
    r.check = { seconds: c.seconds, cpuSeconds: c.cpuSeconds, rssMb: c.rssMb, status: c.status, load: c.load };
  }
  console.error(label, JSON.stringify(r));
}
console.log(JSON.stringify({ build, national, at: new Date().toISOString(), results }, null, 2));
rmSync(work, { recursive: true, force: true });

/** `npm start` on a free port: seconds until POST /v1/decide answers, and the server's RSS then. */
async function startToFirstAnswer(root) {
  const port = 20000 + Math.floor(rand() * 20000);
  const load = loadavg()[0].toFixed(1);
  const started = Date.now();
  const child = spawn('node', ['scripts/start.mjs', '--port', String(port), '--host', '127.0.0.1'], { cwd: build, env: { ...process.env, TRUSTRULES_POLICIES: root }, stdio: 'ignore' });
  try {
    for (;;) {
      if (Date.now() - started > 600_000) return { seconds: '>600' };
      try {
        const res = await fetch(`http://127.0.0.1:${port}/v1/decide`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: scenarios(['us/md/montgomery-county'], 1) });
        if (res.ok) {
          const seconds = (Date.now() - started) / 1000;
          const [rss, cpu] = spawnSync('ps', ['-o', 'rss=,times=', '-p', String(child.pid)], { encoding: 'utf8' }).stdout.trim().split(/\s+/);
          return { seconds, cpuSeconds: Number(cpu), rssMb: Math.round(Number(rss) / 1024), load };
        }
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    child.kill('SIGTERM');
  }
}
