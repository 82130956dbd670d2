// The program's entry: the command line, with `serve` starting the HTTP API. The one module that sees both surfaces.
import { main } from './cli/main.js';

/** Runs `trustrules` with these arguments; resolves to the exit status. */
export function run(argv: readonly string[]): Promise<number> {
  return main(argv, {
    serve: async (options) => (await import('./server/start.js')).startServer({ ...options, assumeInForce: [...(options.assumeInForce ?? [])], assumeNotInForce: [...(options.assumeNotInForce ?? [])] }),
  });
}
