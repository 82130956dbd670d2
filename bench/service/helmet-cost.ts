// What a request pays for its security headers: helmet's middleware built for every request, as @fastify/helmet 13.2
// does (index.js, buildHelmetOnRoutes: `helmet(configuration)(request.raw, reply.raw, done)` per request), against
// the middleware built once, as src/server/security.ts does. Same configuration, same headers.
//   npx tsc -p bench/tsconfig.json && node dist-bench/bench/service/helmet-cost.js
import helmet from 'helmet';
import { contentSecurityPolicy } from '../../src/server/security.js';

const config = {
  contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy as Record<string, string[]> },
  strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
  referrerPolicy: { policy: 'no-referrer' as const },
  xFrameOptions: { action: 'deny' as const },
};
const response = () => {
  const headers: Record<string, string> = {};
  return { headers, setHeader: (k: string, v: string) => void (headers[k] = v), removeHeader: (k: string) => void delete headers[k] };
};
type Middleware = (req: unknown, res: unknown, next: (e?: unknown) => void) => void;
const N = 200_000;
const time = (f: () => void) => {
  for (let i = 0; i < N / 10; i++) f();
  const t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) f();
  return Number(process.hrtime.bigint() - t) / N / 1000;
};
const res = response();
const perRequest = time(() => (helmet(config) as unknown as Middleware)({}, res, () => undefined));
const once = helmet(config) as unknown as Middleware;
const built = time(() => once({}, res, () => undefined));
process.stdout.write(`${JSON.stringify({ headers: Object.keys(res.headers).length, microsPerRequest: { builtPerRequest: +perRequest.toFixed(2), builtOnce: +built.toFixed(2) } })}\n`);
