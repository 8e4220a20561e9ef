// The faxd HTTP API (DESIGN.md §3 "HTTP"): REST routes under /v1, the OpenAPI 3 document at /openapi.json, the event
// stream, bearer-token auth when configured, and every error as a FAX_ERR_* body with the catalog's status.

import swagger from '@fastify/swagger';
import { API_PREFIX, FaxApiError } from '@faxd/contract';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { faultCodeOf, isStorageFull } from '../service/data-files.js';
import type { FaxService } from '../service/fax-service.js';
import { registerArchiveRoutes } from './archive-routes.js';
import { registerBroadcastRoutes } from './broadcast-routes.js';
import { registerEventStream } from './event-stream.js';
import { registerJobRoutes } from './job-routes.js';
import { registerMailRoutes } from './mail-routes.js';
import { registerPortRoutes } from './port-routes.js';
import { NO_QUERY, STRICT_AJV_OPTIONS, validationProblem } from './request-validation.js';

/** Submissions carry documents base64-encoded in JSON: room for a few tens of megabytes of PDF. */
const BODY_LIMIT = 96 * 1024 * 1024;

function toFaxApiError(error: FastifyError): FaxApiError {
  if (error instanceof FaxApiError) return error;
  if (error.validation) {
    const { field, reason } = validationProblem(error);
    return FaxApiError.of('FAX_ERR_BAD_REQUEST', { reason }, { field });
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return FaxApiError.of('FAX_ERR_DOCUMENT_TOO_LARGE', { name: 'the request', limit: `${BODY_LIMIT} bytes` });
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

export async function buildHttpApp(service: FaxService): Promise<FastifyInstance> {
  // Event streams never end on their own: closing the server must cut them.
  const app = Fastify({
    forceCloseConnections: true,
    bodyLimit: BODY_LIMIT,
    ajv: { customOptions: STRICT_AJV_OPTIONS },
  });
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
          `queue state, and Server-Sent Events at ${API_PREFIX}/events. Errors: {"error":{"code":"FAX_ERR_…","message"}}.`,
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const apiError = toFaxApiError(error);
    void reply.status(apiError.status).send(apiError.toBody());
  });
  app.setNotFoundHandler((request, reply) => {
    const error = FaxApiError.of('FAX_ERR_NOT_FOUND', { method: request.method, path: request.url });
    void reply.status(error.status).send(error.toBody());
  });
  if (service.config.token !== null) {
    const expected = `Bearer ${service.config.token}`;
    app.addHook('onRequest', async (request) => {
      if (request.url === '/openapi.json') return;
      if (request.headers.authorization !== expected) {
        throw FaxApiError.of('FAX_ERR_UNAUTHORIZED', { reason: 'send Authorization: Bearer TOKEN' });
      }
    });
  }
  registerPortRoutes(app, service);
  registerJobRoutes(app, service);
  registerBroadcastRoutes(app, service);
  registerArchiveRoutes(app, service);
  registerMailRoutes(app, service);
  registerEventStream(app, service);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.ready();
  return app;
}
