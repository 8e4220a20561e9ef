// The faxd HTTP API (DESIGN.md §3 "HTTP"): REST routes under /v1, the OpenAPI 3 document at /openapi.json, the event
// stream, authentication (authentication.ts), and every error as a FAX_ERR_* body with the catalog's status.

import { STATUS_CODES } from 'node:http';
import type { Http2SecureServer } from 'node:http2';
import type { Duplex } from 'node:stream';
import swagger from '@fastify/swagger';
import { API_PREFIX, FaxApiError } from '@faxd/contract';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyHttp2SecureOptions,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { ConsoleSessions, CSRF_COOKIE, SESSION_COOKIE } from '../auth/console-sessions.js';
import type { Logger } from '../logging/faxd-logger.js';
import { faultCodeOf, isStorageFull } from '../service/data-files.js';
import type { FaxService } from '../service/fax-service.js';
import type { CertificatePair } from '../tls/tls-credentials.js';
import { registerArchivePageRoutes } from './archive-page-routes.js';
import { registerArchiveRoutes } from './archive-routes.js';
import { registerAuditTrail } from './audit-trail.js';
import { registerAuthentication } from './authentication.js';
import { registerBroadcastRoutes } from './broadcast-routes.js';
import { registerConsoleRoutes } from './console-routes.js';
import { registerEventStream } from './event-stream.js';
import { registerJobRoutes } from './job-routes.js';
import { registerMailRoutes } from './mail-routes.js';
import { registerMetricsRoutes } from './metrics-routes.js';
import { registerPortRoutes } from './port-routes.js';
import { registerPreviewRoutes } from './preview-routes.js';
import { registerRateLimit } from './rate-limit.js';
import { NO_QUERY, STRICT_AJV_OPTIONS, validationProblem } from './request-validation.js';
import { registerRouteRights } from './route-rights.js';
import { registerSecurityHeaders } from './security-headers.js';
import { registerSessionRoutes } from './session-routes.js';
import { SignInThrottle } from './sign-in-throttle.js';

function toFaxApiError(error: FastifyError, bodyLimit: number): FaxApiError {
  if (error instanceof FaxApiError) return error;
  if (error.validation) {
    const { field, reason } = validationProblem(error);
    return FaxApiError.of('FAX_ERR_BAD_REQUEST', { reason }, { field });
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return FaxApiError.of('FAX_ERR_REQUEST_TOO_LARGE', { limit: bodyLimit }, { limit: bodyLimit });
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return FaxApiError.of('FAX_ERR_BAD_REQUEST', { reason: error.message });
  }
  // A change the full disk or database refused (a job operation, a queue setting): the client may try again later.
  if (isStorageFull(error)) {
    return FaxApiError.of('FAX_ERR_INSUFFICIENT_STORAGE', {
      reason: `the change was not stored (${faultCodeOf(error)})`,
    });
  }
  return FaxApiError.of('FAX_ERR_INTERNAL', { reason: error.message });
}

/**
 * A request Node's HTTP parser refuses before Fastify sees it (headers past Node's size limit, a request that is not
 * HTTP, a client too slow) is answered like every other error, with a FAX_ERR_* body, at the status Node gives it;
 * the connection is closed after, since the parser cannot find where the next request starts.
 */
function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'the request line and headers are larger than the server takes']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'the request did not arrive in time']
        : [400, 'the request is not valid HTTP/1.1'];
  const body = JSON.stringify(FaxApiError.of('FAX_ERR_BAD_REQUEST', { reason }).toBody());
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/**
 * The API on plain HTTP/1.1, or with `tls` on HTTPS speaking HTTP/2 and HTTP/1.1 alike (ALPN picks; a client without
 * HTTP/2, such as Node's fetch, gets HTTP/1.1).
 */
/**
 * `signIns` counts failed sign-ins (shared with the mail gateway's SMTP AUTH when faxd runs both); `logger` is faxd's
 * root logger, whose child the API logs its requests through (none: the API logs nothing).
 */
export async function buildHttpApp(
  service: FaxService,
  tls?: CertificatePair,
  signIns = new SignInThrottle(),
  logger?: Logger,
): Promise<FastifyInstance> {
  const { limits } = service.config;
  const options = {
    // Event streams never end on their own: closing the server must cut them.
    forceCloseConnections: true,
    ...(logger && { loggerInstance: logger.child({ component: 'http' }) as FastifyBaseLogger }),
    bodyLimit: limits.requestBytes,
    ajv: { customOptions: STRICT_AJV_OPTIONS },
    // A URL Fastify cannot route (bad percent-encoding, a parameter past its length limit) is answered before any
    // hook or error handler runs; without this, its 400 would be Fastify's own body, not a FAX_ERR_* one.
    clientErrorHandler: answerClientError,
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      const apiError = FaxApiError.of('FAX_ERR_BAD_REQUEST', { reason: error.message });
      void reply.status(apiError.status).send(apiError.toBody());
    },
  } as const;
  // The routes only use what HTTP/1.1 and HTTP/2 requests share (Node's compatibility API), so the HTTP/2 instance is
  // typed as the HTTP/1.1 one they are written against (and its options, error hooks included, likewise).
  const app = tls
    ? (Fastify({
        ...options,
        http2: true,
        https: { allowHTTP1: true, ...tls },
      } as unknown as FastifyHttp2SecureOptions<Http2SecureServer>) as unknown as FastifyInstance)
    : Fastify(options);
  // A route without query parameters refuses any, so a misspelt one is an error rather than silently ignored.
  app.addHook('onRoute', (route) => {
    route.schema ??= {};
    route.schema.querystring ??= NO_QUERY;
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'faxd',
        version: '0.1.0',
        description:
          'The faxd fax server: ports with their FaxStatus, outbound and inbound jobs with FaxJobStatus, archives, ' +
          `queue state, the audit log, and Server-Sent Events at ${API_PREFIX}/events. Errors: {"error":{"code":"FAX_ERR_…","message"}}; ` +
          'a body past limits.requestBytes is 413 FAX_ERR_REQUEST_TOO_LARGE, a key past its rate 429 FAX_ERR_RATE_LIMITED ' +
          'with Retry-After.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: "A user's API key, or the configuration's token" },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: SESSION_COOKIE,
            description: 'The console session POST /v1/session signs in to (HttpOnly, SameSite=Strict)',
          },
          csrf: {
            type: 'apiKey',
            in: 'header',
            name: 'X-CSRF-Token',
            description: `The ${CSRF_COOKIE} cookie's value, with the session cookie on every request but GET and HEAD`,
          },
        },
      },
    },
  });
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const apiError = toFaxApiError(error, limits.requestBytes);
    void reply.status(apiError.status).send(apiError.toBody());
  });
  app.setNotFoundHandler((request, reply) => {
    const error = FaxApiError.of('FAX_ERR_NOT_FOUND', { method: request.method, path: request.url });
    void reply.status(error.status).send(error.toBody());
  });
  registerSecurityHeaders(app);
  registerRouteRights(app);
  const sessions = new ConsoleSessions();
  registerAuthentication(app, service, sessions);
  registerRateLimit(app, limits);
  registerAuditTrail(app, service);
  registerSessionRoutes(app, service, sessions, signIns);
  registerPortRoutes(app, service);
  registerJobRoutes(app, service);
  registerBroadcastRoutes(app, service);
  registerPreviewRoutes(app, service);
  registerArchiveRoutes(app, service);
  registerMailRoutes(app, service);
  registerArchivePageRoutes(app, service);
  registerEventStream(app, service, sessions);
  registerMetricsRoutes(app, service);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await registerConsoleRoutes(app);
  await app.ready();
  return app;
}
