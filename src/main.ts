// The program's entry: the command line, with `serve` starting the HTTP API and the web app beside it. The one
// module that sees every surface: it hands the web app to the server as a surface, so neither imports the other.
import { main } from './cli/main.js';

/** Runs `trustrules` with these arguments; resolves to the exit status. */
export function run(argv: readonly string[]): Promise<number> {
  return main(argv, {
    serve: async (options) => {
      const [{ startServer }, { webApp }] = await Promise.all([import('./server/start.js'), import('./web/app.js')]);
      return startServer({
        ...options, assumeInForce: [...(options.assumeInForce ?? [])], assumeNotInForce: [...(options.assumeNotInForce ?? [])], surfaces: [webApp],
      });
    },
  });
}
