// POST /v1/decide against a bare Fastify hello-world on the same machine (issues 8 and 11: target ≥ 0.7), with the
// service as deployed (security headers, rate limits, metrics, request ids) and its request log off and on; and,
// to tell the server's work from the cost of moving a decision's bytes, a bare Fastify answering a body of the
// decision's size; and the API without its decide fast path.
// Each server is its own process on 127.0.0.1; the load generator is autocannon (the one Fastify's own benchmarks use)
// in this process, so that reading a 7.8 KB decision costs the client little more than reading 17 bytes. Each server
// also reports the CPU it spent per request. Configurations alternate round by round, in reverse order every other
// round, so that none profits from a quieter moment of the machine or from its place in the round. `--baseline DIST`
// adds the API of another build (e.g. /work/main/dist) with its log off and at info, for an A/B in the same run.
//   npx tsc -p tsconfig.build.json && npx tsc -p bench/tsconfig.json && node dist-bench/bench/service/bench.js [--seconds 5] [--rounds 3] [--clients 32] [--profile DIR] [--baseline DIST]
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { repoRoot } from '../../src/store/testServers.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) || fallback : fallback;
};
const seconds = arg('seconds', 5);
const rounds = arg('rounds', 3);
const clients = arg('clients', 32);
const profileDir = args.includes('--profile') ? args[args.indexOf('--profile') + 1] : undefined;
const baseline = args.includes('--baseline') ? path.resolve(args[args.indexOf('--baseline') + 1]!) : undefined;
const log = (m: string) => process.stderr.write(`${m}\n`);
const scenario = { date: '2026-03-10', actor: { jurisdiction: 'us/md/montgomery-county', agency: 'police' }, request: 'detain_past_release', basis: 'ice_detainer' };

interface Server { readonly name: string; readonly port: number; readonly path: string; readonly child: ChildProcess }
let nextPort = 23_000 + (process.pid % 10_000);

/** Starts `code` (an ES module that listens on PORT and prints "ready") in its own node process. */
async function serverProcess(name: string, urlPath: string, code: string, env: Record<string, string> = {}): Promise<Server> {
  const port = nextPort++;
  // One folder per server: its worker threads (the analysis pool) write their own profiles, which a fixed file name
  // would let overwrite the main thread's. Node names each file CPU.<date>.<time>.<pid>.<thread>.<seq>: thread 0 is the main one.
  const flags = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(profileDir, name)}`] : [];
  // The request log goes to a pipe this process drains, as journald would take a service's standard output.
  // SIGINT ends it through process.exit, so that --cpu-prof writes its profile.
  const child = spawn(process.execPath, [...flags, '--input-type=module', '-e', `process.on('SIGINT', () => process.exit(0)); ${code}`], { cwd: repoRoot, env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (c) => reject(new Error(`${name} exited (${c})`)));
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready\n') && resolve());
  });
  child.removeAllListeners('exit');
  return { name, port, path: urlPath, child };
}

/** Every server prints the CPU microseconds it used since the last ask when it gets SIGUSR2 (its own measurement). */
const cpuReport = `let last = process.cpuUsage(); process.on('SIGUSR2', () => { const d = process.cpuUsage(last); last = process.cpuUsage(); console.log('cpu ' + (d.user + d.system)); });`;
const helloCode = `${cpuReport} import Fastify from 'fastify'; const app = Fastify(); app.post('/hello', async () => ({ hello: 'world' })); await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' }); console.log('ready');`;
/** A bare Fastify answering a prebuilt JSON body as long as a decision (DECISION_BYTES). */
const sameSizeCode = `${cpuReport} import Fastify from 'fastify'; const n = Number(process.env.DECISION_BYTES);
const body = Buffer.from(JSON.stringify({ outcome: 'prohibited', pad: 'x'.repeat(Math.max(0, n - 30)) }));
const app = Fastify(); app.post('/hello', (_req, reply) => { reply.type('application/json; charset=utf-8').send(body); });
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' }); console.log('ready');`;
/**
 * The API as `serve` builds it (every hardening plugin on), with the given log level; rate limits far above the load.
 * Without its fast path (decideFastPath.ts) every decision goes through Fastify's lifecycle, as before it.
 */
const apiCode = (logLevel: string, fastPath = true, dist = path.join(repoRoot, 'dist')) => `${cpuReport} const { buildServer } = await import(${JSON.stringify(path.join(dist, 'server/app.js'))});
const app = buildServer({ decideFastPath: ${fastPath}, service: { logLevel: '${logLevel}', rateLimitAddress: 1e9, rateLimitToken: 1e9, rateLimitWindowSeconds: 60 } });
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' }); console.log('ready');`;

/** The CPU microseconds a server used since the last ask. */
function cpuSince(s: Server): Promise<number> {
  return new Promise((resolve) => {
    const onData = (d: Buffer) => {
      const m = /cpu (\d+)/.exec(d.toString());
      if (!m) return;
      s.child.stdout!.off('data', onData);
      resolve(Number(m[1]));
    };
    s.child.stdout!.on('data', onData);
    s.child.kill('SIGUSR2');
  });
}

/** One autocannon run: requests per second, latency percentiles, non-2xx answers. */
async function cannon(s: Server, duration: number): Promise<autocannon.Result> {
  return autocannon({
    url: `http://127.0.0.1:${s.port}${s.path}`, method: 'POST', connections: clients, duration,
    headers: { 'content-type': 'application/json' }, body: JSON.stringify(scenario),
  });
}

/** Requests per second against one server for `seconds` (after a warm-up), and its CPU per request. */
async function rate(s: Server): Promise<{ perSecond: number; cpuMicros: number; p50: number; p99: number; errors: number }> {
  // The engine compiles a jurisdiction's tables on its first questions: three seconds of warm-up get past that.
  await cannon(s, 3);
  await cpuSince(s);
  const r = await cannon(s, seconds);
  const cpu = await cpuSince(s);
  return { perSecond: r.requests.average, cpuMicros: cpu / Math.max(1, r.requests.total), p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

const servers = [
  await serverProcess('hello', '/hello', helloCode),
  await serverProcess('decide-log-off', '/v1/decide', apiCode('off')),
  await serverProcess('decide-log-info', '/v1/decide', apiCode('info')),
  await serverProcess('decide-log-off-no-fast-path', '/v1/decide', apiCode('off', false)),
  ...(baseline ? [
    await serverProcess('baseline-decide-log-off', '/v1/decide', apiCode('off', true, baseline)),
    await serverProcess('baseline-decide-log-info', '/v1/decide', apiCode('info', true, baseline)),
  ] : []),
];
const decisionBytes = (await (await fetch(`http://127.0.0.1:${servers[1]!.port}/v1/decide`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(scenario) })).arrayBuffer()).byteLength;
servers.push(await serverProcess('same-size-bare', '/hello', sameSizeCode, { DECISION_BYTES: String(decisionBytes) }));
const loadBefore = os.loadavg();
const figures: Record<string, number[]> = Object.fromEntries(servers.map((s) => [s.name, []]));
const detail: Record<string, Awaited<ReturnType<typeof rate>>[]> = Object.fromEntries(servers.map((s) => [s.name, []]));
try {
  for (let k = 0; k < rounds; k++) {
    for (const s of k % 2 ? [...servers].reverse() : servers) {
      const r = await rate(s);
      if (r.errors) throw new Error(`${s.name}: ${r.errors} errors or non-2xx answers`);
      figures[s.name]!.push(r.perSecond);
      detail[s.name]!.push(r);
    }
    log(`round ${k + 1} (load ${os.loadavg()[0]!.toFixed(1)}): ${servers.map((s) => `${s.name} ${figures[s.name]!.at(-1)!.toFixed(0)}/s (${detail[s.name]!.at(-1)!.cpuMicros.toFixed(0)} µs CPU each)`).join(', ')}`);
  }
} finally {
  for (const s of servers) s.child.kill('SIGINT');
  await new Promise((r) => setTimeout(r, 1500));
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const perRound = (name: string) => figures[name]!.map((x, i) => x / figures.hello![i]!);
const results = {
  date: new Date().toISOString(),
  machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, node ${process.version}`,
  load: { before: loadBefore.map((x) => x.toFixed(1)).join(' '), after: os.loadavg().map((x) => x.toFixed(1)).join(' ') },
  seconds, rounds, clients, decisionBytes,
  perSecond: Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, v.map((x) => Math.round(x))])),
  serverCpuMicrosPerRequest: Object.fromEntries(Object.entries(detail).map(([k, v]) => [k, v.map((x) => Math.round(x.cpuMicros))])),
  latencyMs: Object.fromEntries(Object.entries(detail).map(([k, v]) => [k, v.map((x) => ({ p50: x.p50, p99: x.p99 }))])),
  baseline: baseline ?? null,
  ratio: {
    ...(baseline ? {
      baselineLogOff: { mean: +(mean(figures['baseline-decide-log-off']!) / mean(figures.hello!)).toFixed(2), rounds: perRound('baseline-decide-log-off').map((x) => +x.toFixed(2)) },
      baselineLogInfo: { mean: +(mean(figures['baseline-decide-log-info']!) / mean(figures.hello!)).toFixed(2), rounds: perRound('baseline-decide-log-info').map((x) => +x.toFixed(2)) },
    } : {}),
    logOff: { mean: +(mean(figures['decide-log-off']!) / mean(figures.hello!)).toFixed(2), rounds: perRound('decide-log-off').map((x) => +x.toFixed(2)) },
    logInfo: { mean: +(mean(figures['decide-log-info']!) / mean(figures.hello!)).toFixed(2), rounds: perRound('decide-log-info').map((x) => +x.toFixed(2)) },
    logOffNoFastPath: { mean: +(mean(figures['decide-log-off-no-fast-path']!) / mean(figures.hello!)).toFixed(2), rounds: perRound('decide-log-off-no-fast-path').map((x) => +x.toFixed(2)) },
    // The ceiling the response size sets on this machine: a bare Fastify sending the decision's bytes.
    sameSizeBare: { mean: +(mean(figures['same-size-bare']!) / mean(figures.hello!)).toFixed(2), rounds: perRound('same-size-bare').map((x) => +x.toFixed(2)) },
    logOffToSameSize: +(mean(figures['decide-log-off']!) / mean(figures['same-size-bare']!)).toFixed(2),
  },
  // Server CPU per request, hello-world's divided by decide's: the server's own work, apart from the client's.
  cpuRatio: Object.fromEntries(['decide-log-off', 'decide-log-info', 'decide-log-off-no-fast-path', 'same-size-bare', ...(baseline ? ['baseline-decide-log-off', 'baseline-decide-log-info'] : [])].map((k) => [k, +(mean(detail.hello!.map((x) => x.cpuMicros)) / mean(detail[k]!.map((x) => x.cpuMicros))).toFixed(2)])),
};
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
