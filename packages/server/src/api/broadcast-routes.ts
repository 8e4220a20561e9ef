// Broadcasts (issue 19): one submission's jobs seen and canceled as one. The submission itself is POST /v1/jobs with
// `recipients` (job-routes.ts).

import { API_PREFIX } from '@faxd/contract';
import type { FastifyInstance } from 'fastify';
import type { FaxService } from '../service/fax-service.js';
import { faxBroadcast } from './job-schemas.js';
import { errorBody, idParams } from './schemas.js';

const broadcasts = ['broadcasts'];

export function registerBroadcastRoutes(app: FastifyInstance, service: FaxService): void {
  app.get<{ Params: { id: string } }>(`${API_PREFIX}/broadcasts/:id`, {
    schema: {
      tags: broadcasts,
      summary: "A broadcast: each recipient's job and status, and the counts by status",
      params: idParams,
      response: { 200: faxBroadcast, 404: errorBody },
    },
    handler: async (request) => service.broadcast(request.params.id, request.caller),
  });
  app.post<{ Params: { id: string } }>(`${API_PREFIX}/broadcasts/:id/cancel`, {
    schema: {
      tags: broadcasts,
      summary: 'Cancel every job of the broadcast not yet ended (one on the line by the rules of a job’s cancel)',
      params: idParams,
      response: { 200: faxBroadcast, '4xx': errorBody },
    },
    handler: async (request) => service.cancelBroadcast(request.params.id, request.caller),
  });
}
