// Heavy analysis beside decisions (issue 11 item 1): POST /v1/decide latency while GET
// /v1/analysis/table?all=1&expand=1&at=2019-06-01 streams (read as fast as it comes, again and again) and 8 clients
// call /v1/analysis/coverage in a loop. Three servers, measured in the same run, one after another:
//   before  analysis in the event loop (threads: 0) and no bounds: what every server did until this change
//   after   the default: worker threads, anonymous bounds (the expanded table of everything is refused with 403)
//   token   worker threads, bounds lifted as for a token holder (the 3 GB table streams from a thread)
//   npm run build && node bench/load/isolation.mjs [--seconds 20] [--connections 10]
import http from 'node:http';
import os from 'node:os';
import { apiProcess, cannon, log, machine, request } from './lib.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const seconds = Number(opt('--seconds', 20));
const connections = Number(opt('--connections', 10));
const scenario = { date: '2019-06-01', actor: { jurisdiction: 'us/md/montgomery-county', agency: 'corrections' }, request: 'detain_past_release', basis: 'ice_detainer' };
const TABLE = '/v1/analysis/table?all=1&expand=1&at=2019-06-01';
const unbounded = { maxExpandedRows: Number.MAX_SAFE_INTEGER, budgetMs: 600_000 };

/** Runs the heavy clients until `stop()`: the table (body read and dropped) and 8 coverage loops. */
function heavy(port) {
  let running = true;
  const stats = { tables: {}, tableBytes: 0, coverage: {} };
  const count = (o, k) => { o[k] = (o[k] ?? 0) + 1; };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const table = (async () => {
    while (running) {
      await new Promise((resolve) => {
        const req = http.get({ host: '127.0.0.1', port, path: TABLE, agent }, (res) => {
          count(stats.tables, res.statusCode);
          res.on('data', (c) => {
            stats.tableBytes += c.length;
            if (!running) req.destroy();
          });
          // A refused table (403) is asked again after a pause, as a person would: not a loop of tiny requests.
          const done = () => (res.statusCode === 200 ? resolve() : setTimeout(resolve, 250));
          res.on('end', done);
          res.on('close', done);
        });
        req.on('error', resolve);
      });
    }
  })();
  const coverage = Array.from({ length: 8 }, async () => {
    while (running) {
      const r = await request({ port, path: '/v1/analysis/coverage', agent }).catch(() => ({ status: 'error' }));
      count(stats.coverage, r.status);
    }
  });
  return { stats, stop: async () => { running = false; await Promise.all([table, ...coverage]); agent.destroy(); } };
}

async function measure(name, options) {
  log(`\n== ${name}: ${JSON.stringify(options)}`);
  const server = await apiProcess(options);
  try {
    for (let i = 0; i < 50; i++) await request({ port: server.port, method: 'POST', path: '/v1/decide', body: scenario });
    await request({ port: server.port, path: '/v1/analysis/coverage' });
    const quiet = await cannon({ port: server.port, connections, duration: Math.max(5, Math.round(seconds / 2)), path: '/v1/decide', body: scenario });
    log(`quiet: p50 ${quiet.p50} ms, p99 ${quiet.p99} ms, ${quiet.perSecond}/s`);
    const h = heavy(server.port);
    await new Promise((r) => setTimeout(r, 1000)); // the heavy requests under way
    const loaded = await cannon({ port: server.port, connections, duration: seconds, path: '/v1/decide', body: scenario });
    await h.stop();
    log(`under analysis: p50 ${loaded.p50} ms, p99 ${loaded.p99} ms, max ${loaded.max} ms, ${loaded.perSecond}/s; table ${JSON.stringify(h.stats.tables)} ${(h.stats.tableBytes / 1e6).toFixed(0)} MB; coverage ${JSON.stringify(h.stats.coverage)}`);
    return { name, options, quiet, loaded, heavy: { ...h.stats, tableMB: Math.round(h.stats.tableBytes / 1e6) }, alive: server.alive() };
  } finally {
    await server.stop();
  }
}

const m = machine();
const runs = [
  await measure('before', { analysis: { threads: 0, anonymous: unbounded } }),
  await measure('after', {}),
  await measure('token', { analysis: { anonymous: unbounded } }),
];
process.stdout.write(`${JSON.stringify({ machine: m, loadAfter: os.loadavg().map((x) => x.toFixed(2)).join(' '), seconds, connections, runs }, null, 2)}\n`);
