// Who each API request comes from (issue 13): `Authorization: Bearer KEY` with a user's API key, read from the store
// on every request so a key revoked or rights changed by `faxd user` count at once; the configuration's `token` as
// the administrator's key; and, on a server with neither users nor token on a loopback listen, anyone, as before
// users existed; without an Authorization header, the console's session cookie (session-routes.ts), whose requests
// other than GET/HEAD must carry its CSRF token. /openapi.json and signing in are open to all; /metrics, outside /v1,
// is authenticated as the API is. GET /v1/me answers who
// the caller is.

import { API_PREFIX, FaxApiError, faxCallerOf } from '@faxd/contract';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { constantTimeEqual } from '../auth/api-keys.js';
import { ADMINISTRATOR, ANONYMOUS, type Caller } from '../auth/caller.js';
import { type ConsoleSessions, CSRF_HEADER, cookieOf, SESSION_COOKIE } from '../auth/console-sessions.js';
import type { FaxService } from '../service/fax-service.js';
import { METRICS_PATH } from './metrics-routes.js';
import { faxCaller } from './schemas.js';
import { SIGN_IN } from './session-routes.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook before any handler runs. */
    caller: Caller;
    /** The console session's id when its cookie authenticated the request (what ends with it, event-stream.ts). */
    consoleSession: string | undefined;
  }
}

const PUBLIC_PATHS = new Set(['/openapi.json']);

/** Whether `url` (path and query) is under the API's prefix; the console's files outside it are public, as it asks
 * for credentials itself. */
function isApiPath(url: string): boolean {
  return isUnder(url, API_PREFIX) || isUnder(url, METRICS_PATH);
}

/** Whether `url` is `path` itself, with a query or not, or below it. */
function isUnder(url: string, path: string): boolean {
  const rest = url.slice(path.length);
  return url.startsWith(path) && (rest === '' || rest.startsWith('/') || rest.startsWith('?'));
}

/** Whether `host` (a listen address) is reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Why faxd must not start as configured: a listen other machines reach, and no way to authenticate (no token, no
 * user); undefined when it may.
 */
export async function unauthenticatedExposure(service: FaxService): Promise<string | undefined> {
  const { listen, token } = service.config;
  if (isLoopbackHost(listen.host) || token !== null || (await service.users.any())) return undefined;
  return (
    `faxd listens on ${listen.host}, which other machines can reach, and nothing authenticates its callers: ` +
    'set "token" in the configuration or add a user with `faxd user add NAME`'
  );
}

/** The user a session cookie stands for, as they are now; a removed user's session ends with them. */
async function sessionCallerOf(
  service: FaxService,
  sessions: ConsoleSessions,
  request: FastifyRequest,
  id: string,
): Promise<Caller> {
  const session = sessions.find(id);
  const caller = session && (await service.users.callerOfUser(session.userId));
  if (!session || !caller) {
    sessions.close(id);
    throw FaxApiError.of('FAX_ERR_UNAUTHORIZED', { reason: 'the session has ended; sign in again' });
  }
  const header = request.headers[CSRF_HEADER];
  if (request.method !== 'GET' && request.method !== 'HEAD' && !session.csrfMatches([header].flat()[0])) {
    throw FaxApiError.of('FAX_ERR_ACCESS_DENIED', { reason: `send the faxd_csrf cookie's value in ${CSRF_HEADER}` });
  }
  return caller;
}

async function callerOf(service: FaxService, sessions: ConsoleSessions, request: FastifyRequest): Promise<Caller> {
  const { token, listen } = service.config;
  // As before users: with nothing to authenticate against, whatever the request carries is not looked at.
  if (token === null && isLoopbackHost(listen.host) && !(await service.users.any())) return ANONYMOUS;
  const { authorization, cookie } = request.headers;
  const session = authorization === undefined ? cookieOf(cookie, SESSION_COOKIE) : undefined;
  if (session !== undefined) {
    const caller = await sessionCallerOf(service, sessions, request, session);
    request.consoleSession = session;
    return caller;
  }
  const bearer = authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length).trim() : undefined;
  if (bearer === undefined) throw FaxApiError.of('FAX_ERR_UNAUTHORIZED', { reason: 'send Authorization: Bearer KEY' });
  if (token !== null && constantTimeEqual(bearer, token)) return ADMINISTRATOR;
  const user = await service.users.authenticate(bearer);
  if (!user) throw FaxApiError.of('FAX_ERR_UNAUTHORIZED', { reason: 'the key is not valid (unknown or revoked)' });
  return user;
}

/** Whether the request needs no credentials: the OpenAPI document, the console's files, signing in. */
function isPublic(request: FastifyRequest): boolean {
  if (PUBLIC_PATHS.has(request.url) || !isApiPath(request.url)) return true;
  return request.method === SIGN_IN.method && request.routeOptions.url === SIGN_IN.url;
}

export function registerAuthentication(app: FastifyInstance, service: FaxService, sessions: ConsoleSessions): void {
  app.decorateRequest('caller', null as unknown as Caller);
  app.decorateRequest('consoleSession', undefined);
  app.addHook('onRequest', async (request) => {
    if (isPublic(request)) return;
    request.caller = await callerOf(service, sessions, request);
  });
  app.get(`${API_PREFIX}/me`, {
    schema: {
      tags: ['users'],
      summary: 'The caller: its user name and granted rights (FaxSecurity2.GrantedRights)',
      response: { 200: faxCaller },
    },
    handler: async (request) => faxCallerOf(request.caller.name, request.caller.rights),
  });
}
