// Signing in to the console (issue 13 item 1): POST /v1/session with a user's name and password answers 204 with two
// cookies, the HttpOnly session (auth/console-sessions.ts) and the readable CSRF token the console sends back in
// X-CSRF-Token; DELETE /v1/session signs out, ending the session's event streams too. Signing in needs no
// credentials, so authentication.ts lets it through, and sign-in-throttle.ts limits its failures.

import { API_PREFIX, FaxApiError } from '@faxd/contract';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  type ConsoleSessions,
  CSRF_COOKIE,
  cookieOf,
  SESSION_COOKIE,
  SESSION_SECONDS,
} from '../auth/console-sessions.js';
import type { FaxService } from '../service/fax-service.js';
import { rateLimited } from './rate-limit.js';
import { errorBody } from './schemas.js';
import type { SignInThrottle } from './sign-in-throttle.js';

/** The operation signing in; the only API route open to callers without credentials. */
export const SIGN_IN = { method: 'POST', url: `${API_PREFIX}/session` } as const;

const signInBody = {
  type: 'object',
  required: ['name', 'password'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 64 },
    password: { type: 'string', minLength: 1, maxLength: 1024 },
  },
};

/** Both cookies: set to `values`, or (null) cleared. Secure when the request came over TLS. */
function setCookies(request: FastifyRequest, reply: FastifyReply, values: { id: string; csrf: string } | null): void {
  const life = values === null ? 'Max-Age=0' : `Max-Age=${SESSION_SECONDS}`;
  const secure = request.protocol === 'https' ? '; Secure' : '';
  void reply.header('set-cookie', [
    `${SESSION_COOKIE}=${values?.id ?? ''}; Path=/; ${life}; HttpOnly; SameSite=Strict${secure}`,
    `${CSRF_COOKIE}=${values?.csrf ?? ''}; Path=/; ${life}; SameSite=Strict${secure}`,
  ]);
}

export function registerSessionRoutes(
  app: FastifyInstance,
  service: FaxService,
  sessions: ConsoleSessions,
  throttle: SignInThrottle,
): void {
  app.post<{ Body: { name: string; password: string } }>(SIGN_IN.url, {
    schema: {
      tags: ['users'],
      summary: 'Sign in to the console: sets the HttpOnly session cookie and the faxd_csrf cookie',
      description:
        'A request the session cookie authenticates carries the faxd_csrf value in X-CSRF-Token unless it is a GET. ' +
        'Failed sign-ins are limited per user name (5, then one a minute) and per address (20, then one every 15 s): ' +
        'past them, 429 FAX_ERR_RATE_LIMITED with Retry-After, whatever the password.',
      body: signInBody,
      response: { 204: { type: 'null' }, '4xx': errorBody },
    },
    handler: async (request, reply) => {
      const { name, password } = request.body;
      const seconds = throttle.attempt(name, request.ip, Date.now());
      if (seconds > 0)
        throw rateLimited(reply, seconds, 'too many failed sign-ins with this name or from this address');
      const userId = await service.users.checkPassword(name, password);
      // One answer for an unknown name and a wrong password: which names exist is not told.
      if (userId === undefined) throw FaxApiError.of('FAX_ERR_UNAUTHORIZED', { reason: 'wrong name or password' });
      throttle.succeeded(name, request.ip, Date.now());
      setCookies(request, reply, sessions.open(userId));
      return reply.status(204).send();
    },
  });
  app.delete(`${API_PREFIX}/session`, {
    schema: {
      tags: ['users'],
      summary: 'Sign out of the console: ends the session the cookie names and its event streams, clears the cookies',
      response: { 204: { type: 'null' } },
    },
    handler: async (request, reply) => {
      const id = cookieOf(request.headers.cookie, SESSION_COOKIE);
      if (id !== undefined) sessions.close(id);
      setCookies(request, reply, null);
      return reply.status(204).send();
    },
  });
}
