// Jobs (reference §2.6–2.7): submit, list, read one, and the four operations; plus the queue's state.

import { API_PREFIX, FaxApiError, type FaxQueueState, type JobOperation, type SubmitJobRequest } from '@faxd/contract';
import type { FastifyInstance } from 'fastify';
import type { FaxService } from '../service/fax-service.js';
import { errorBody, faxJob, idParams, jobParams, jobsQuery, queueState, submitJobBody } from './schemas.js';

const jobs = ['jobs'];

/**
 * A refused submission's body, its details kept whole: which limit a document went past and its value, when to come
 * back. (A bare `details: {type: 'object'}` would serialise as `{}`.)
 */
const submitErrorBody = {
  ...errorBody,
  properties: {
    error: {
      ...errorBody.properties.error,
      properties: {
        ...errorBody.properties.error.properties,
        details: { type: 'object', additionalProperties: true },
      },
    },
  },
};

export function registerJobRoutes(app: FastifyInstance, service: FaxService): void {
  app.post<{ Body: SubmitJobRequest }>(`${API_PREFIX}/jobs`, {
    schema: {
      tags: jobs,
      summary: 'Submit a fax',
      body: submitJobBody,
      response: { 201: faxJob, '4xx': submitErrorBody, 503: submitErrorBody, 507: submitErrorBody },
    },
    handler: async (request, reply) => {
      try {
        return reply.status(201).send(await service.submit(request.body));
      } catch (error) {
        // A submission refused for now says when to come back (RFC 9110 §10.2.3), as the error body does.
        const retry = error instanceof FaxApiError ? error.details?.retryAfterSeconds : undefined;
        if (typeof retry === 'number') void reply.header('retry-after', String(retry));
        throw error;
      }
    },
  });
  app.get<{ Querystring: { direction?: 'outgoing' | 'incoming'; all?: 'true' | 'false' } }>(`${API_PREFIX}/jobs`, {
    schema: {
      tags: jobs,
      summary: 'Jobs in the queues (with all=true, ended ones too)',
      querystring: jobsQuery,
      response: { 200: { type: 'array', items: faxJob } },
    },
    handler: async ({ query }) => service.jobs({ direction: query.direction, all: query.all === 'true' }),
  });
  app.get<{ Params: { id: string } }>(`${API_PREFIX}/jobs/:id`, {
    schema: { tags: jobs, summary: 'One job', params: idParams, response: { 200: faxJob, 404: errorBody } },
    handler: async (request) => service.job(request.params.id),
  });
  app.post<{ Params: { jobId: string; operation: JobOperation } }>(`${API_PREFIX}/jobs/:jobId/:operation`, {
    schema: {
      tags: jobs,
      summary: 'Cancel, pause, resume or restart a job',
      params: jobParams,
      response: { 200: faxJob, '4xx': errorBody },
    },
    handler: async (request) => service.operate(request.params.jobId, request.params.operation),
  });
  app.get(`${API_PREFIX}/queue`, {
    schema: { tags: ['queue'], summary: 'The queues’ state', response: { 200: queueState } },
    handler: async () => service.queueState(),
  });
  app.patch<{ Body: Partial<FaxQueueState> }>(`${API_PREFIX}/queue`, {
    schema: { tags: ['queue'], summary: 'Pause or block the queues', body: queueState, response: { 200: queueState } },
    handler: async (request) => service.setQueueState(request.body),
  });
}
