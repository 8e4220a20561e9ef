// The web console's static files (packages/web, built by `npm run build` into packages/web/dist/console) served at
// `/` beside the API under /v1 (DESIGN.md §3 "Console"); they need no token, since the console itself asks for one.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Where the web package's build writes the console, from this file's place in packages/server/dist/api. */
export const CONSOLE_ROOT = fileURLToPath(new URL('../../../web/dist/console/', import.meta.url));

/** Vite names every asset under /assets after its content's hash, so a browser may keep one for good. */
const ASSETS = /\/assets\/[^/]+$/;

export async function registerConsoleRoutes(app: FastifyInstance, root = CONSOLE_ROOT): Promise<void> {
  if (!existsSync(`${root}index.html`)) {
    // A checkout built with `tsc -b` alone: say what is missing instead of a bare 404.
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('faxd: the web console is not built; run `npm run build` in the repository and restart faxd.\n'),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root,
    // Files are listed once at start-up: any other path, /v1/… included, stays the API's FAX_ERR_NOT_FOUND.
    wildcard: false,
    // The build writes .br and .gz beside each text file; the browser gets the smallest it accepts.
    preCompressed: true,
    schemaHide: true,
    // The headers below say how long a browser may keep each file; send's own max-age=0 would override them.
    cacheControl: false,
    setHeaders: (response, path) => {
      response.setHeader('cache-control', ASSETS.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
}
