// Headers on every answer (issue 13 item 5) that keep a browser from misreading or framing what faxd serves: no MIME
// sniffing (a TIFF or an error is never run as a script), no framing by another site (clickjacking), no referrer
// leaking ids; and API answers, which hold faxes and their metadata, are never cached. Generic enough for the console
// at `/`: a route that sets its own header keeps it.

import { API_PREFIX } from '@faxd/contract';
import type { FastifyInstance } from 'fastify';

const EVERY_ANSWER: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/**
 * Set on the raw response before anything else runs, so they go out with every answer: errors, files, and the event
 * stream too, which writes its own head; a header a route sets itself replaces the one here.
 */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    for (const [name, value] of Object.entries(EVERY_ANSWER)) reply.raw.setHeader(name, value);
    if (request.url.startsWith(`${API_PREFIX}/`) || request.url === '/openapi.json') {
      reply.raw.setHeader('cache-control', 'no-store');
    }
  });
}
