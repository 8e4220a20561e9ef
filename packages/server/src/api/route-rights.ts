// The right each API route needs (issue 13, FAX_ACCESS_RIGHTS_ENUM_2), in one table by OpenAPI operation: a caller
// holding none of a route's rights is refused 403 FAX_ERR_ACCESS_DENIED before the request is read further. Past this
// gate the handlers apply ownership (auth/caller.ts): what is someone else's answers 404, as a missing id does. A
// route registered without a row stops the server from starting, so no route is left unguarded by omission.

import { accessRightNamesOf, FaxApiError, FAX_ACCESS_RIGHTS_ENUM_2 as R } from '@faxd/contract';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { holdsAny, RECEIVE_FOLDER } from '../auth/caller.js';
import { SIGN_IN } from './session-routes.js';

/** Any caller the server authenticated. */
const ANY_CALLER = 0;
const SUBMITTER = R.far2SUBMIT_LOW;
/** Reading jobs: a submitter its own, the job rights everyone's outgoing, the receive folder the incoming. */
const JOB_READER = SUBMITTER | R.far2QUERY_OUT_JOBS | R.far2MANAGE_OUT_JOBS | RECEIVE_FOLDER;
const JOB_MANAGER = SUBMITTER | R.far2MANAGE_OUT_JOBS | R.far2MANAGE_RECEIVE_FOLDER;
const BROADCAST_READER = SUBMITTER | R.far2QUERY_OUT_JOBS | R.far2MANAGE_OUT_JOBS;
const SENT_READER = SUBMITTER | R.far2QUERY_ARCHIVES | R.far2MANAGE_ARCHIVES;
/** Received faxes: the receive folder's rights all of them, a submitter those of a line routed to them. */
const RECEIVED_READER = SUBMITTER | RECEIVE_FOLDER;

/** The rights (any one of them) each operation needs, `METHOD /path` as in /openapi.json. */
export const ROUTE_RIGHTS: Readonly<Record<string, number>> = {
  'GET /v1/me': ANY_CALLER,
  // Signing in needs no credentials (authentication.ts lets it through); signing out, any caller.
  'POST /v1/session': ANY_CALLER,
  'DELETE /v1/session': ANY_CALLER,
  // IFaxServer.GetDevices needs farQUERY_CONFIG; a port's status shows what its call is doing.
  'GET /v1/ports': R.far2QUERY_CONFIG,
  'GET /v1/ports/{deviceId}': R.far2QUERY_CONFIG,
  'GET /v1/ports/{deviceId}/status': R.far2QUERY_CONFIG,
  'GET /v1/ports/{deviceId}/routing-methods': R.far2QUERY_CONFIG,
  'GET /v1/status': R.far2QUERY_CONFIG,
  // The priority asked for needs its own submit right (the service checks it).
  'POST /v1/jobs': SUBMITTER,
  'GET /v1/jobs': JOB_READER,
  'GET /v1/jobs/{id}': JOB_READER,
  'GET /v1/jobs/{id}/document.tif': JOB_READER,
  'GET /v1/jobs/{id}/pages/{page}.png': JOB_READER,
  'POST /v1/jobs/{jobId}/{operation}': JOB_MANAGER,
  // A preview renders what its caller could submit, and keeps nothing.
  'POST /v1/previews': SUBMITTER,
  'GET /v1/broadcasts/{id}': BROADCAST_READER,
  'POST /v1/broadcasts/{id}/cancel': SUBMITTER | R.far2MANAGE_OUT_JOBS,
  // The SDK's connect reads the queue's state: its three flags tell nothing of anyone's faxes.
  'GET /v1/queue': ANY_CALLER,
  'PATCH /v1/queue': R.far2MANAGE_CONFIG,
  'GET /v1/inbox': RECEIVED_READER,
  'GET /v1/inbox/{id}': RECEIVED_READER,
  'GET /v1/inbox/{id}/document.tif': RECEIVED_READER,
  'GET /v1/inbox/{id}/document.pdf': RECEIVED_READER,
  'GET /v1/inbox/{id}/pages/{page}.png': RECEIVED_READER,
  'GET /v1/outbox': SENT_READER,
  'GET /v1/outbox/{id}': SENT_READER,
  'GET /v1/outbox/{id}/document.tif': SENT_READER,
  'GET /v1/outbox/{id}/document.pdf': SENT_READER,
  'GET /v1/outbox/{id}/pages/{page}.png': SENT_READER,
  // IFaxIncomingMessage/IFaxOutgoingMessage.Delete: the owner (a submitter) or farMANAGE_IN/OUT_ARCHIVE. A caller who
  // sees the message without either is refused here; one who does not see it gets 404 from the handler.
  'DELETE /v1/inbox/{id}': SUBMITTER | R.far2MANAGE_ARCHIVES,
  'DELETE /v1/outbox/{id}': SUBMITTER | R.far2MANAGE_ARCHIVES,
  // Who did what is configuration-level knowledge: the audit log names every user and object.
  'GET /v1/audit': R.far2MANAGE_CONFIG,
  // The mail outbox is the server's own traffic (the SMTP relay's health), not a user's object: a delivery report of one
  // job sits beside received faxes mailed for a line and refusals mailed to outside senders, most of them nobody's.
  // Like the ports' status it is for those who may read the configuration, and it names other people's addresses.
  'GET /v1/mail-deliveries': R.far2QUERY_CONFIG,
  'GET /v1/mail-deliveries/{id}': R.far2QUERY_CONFIG,
  // Every caller may listen; each event goes only to those who may see what it is about (event-stream.ts).
  'GET /v1/events': ANY_CALLER,
  // A scraper's key: the lines' and queues' activity is for those who may read the configuration, as ports' status is.
  'GET /metrics': R.far2QUERY_CONFIG,
};

/** `GET /v1/jobs/{id}` for Fastify's `GET` and `/v1/jobs/:id` (HEAD is GET's). */
export function operationOf(method: string, url: string): string {
  return `${method === 'HEAD' ? 'GET' : method} ${url.replace(/:(\w+)/g, '{$1}')}`;
}

function deniedError(operation: string, rights: number): FaxApiError {
  const names = accessRightNamesOf(rights);
  const reason = `${operation} needs ${names.length === 1 ? 'the right' : 'one of the rights'} ${names.join(', ')}`;
  return FaxApiError.of('FAX_ERR_ACCESS_DENIED', { reason }, { rights: names });
}

/** Guards every route but the hidden ones (/openapi.json) by ROUTE_RIGHTS; register before the routes. */
export function registerRouteRights(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (route.schema?.hide) return;
    for (const method of [route.method].flat()) {
      const operation = operationOf(method, route.url);
      const rights = ROUTE_RIGHTS[operation];
      if (rights === undefined) throw new Error(`${operation} has no row in ROUTE_RIGHTS`);
      // The OpenAPI document says what each route needs: an API key, or the console's session cookie with, unless
      // the request only reads, its CSRF token (http-app.ts declares the schemes); signing in needs nothing.
      route.schema ??= {};
      const reads = method === 'GET' || method === 'HEAD';
      const isSignIn = method === SIGN_IN.method && route.url === SIGN_IN.url;
      route.schema.security = isSignIn ? [] : [{ bearer: [] }, reads ? { session: [] } : { session: [], csrf: [] }];
      const needs = rights === ANY_CALLER ? 'any caller' : `one of the rights ${accessRightNamesOf(rights).join(', ')}`;
      const said = route.schema.description === undefined ? '' : `${route.schema.description} `;
      if (!said.includes('Needs ')) route.schema.description = `${said}Needs ${needs}.`;
      if (rights === ANY_CALLER) continue;
      const guard = async (request: FastifyRequest) => {
        if (!holdsAny(request.caller, rights)) throw deniedError(operation, rights);
      };
      route.onRequest = [...[route.onRequest ?? []].flat(), guard];
    }
  });
}
