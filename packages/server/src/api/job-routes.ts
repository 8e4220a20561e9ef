// Jobs (reference §2.6–2.7): submit, list, read one, and the four operations; plus the queue's state.

import { API_PREFIX, type FaxQueueState, type JobOperation, type SubmitJobRequest } from '@faxd/contract';
import type { FastifyInstance } from 'fastify';
import type { FaxService } from '../service/fax-service.js';
import { errorBody, faxJob, idParams, jobParams, jobsQuery, queueState, submitJobBody } from './schemas.js';

const jobs = ['jobs'];

export function registerJobRoutes(app: FastifyInstance, service: FaxService): void {
  app.post<{ Body: SubmitJobRequest }>(`${API_PREFIX}/jobs`, {
    schema: { tags: jobs, summary: 'Submit a fax', body: submitJobBody, response: { 201: faxJob, '4xx': errorBody } },
    handler: async (request, reply) => reply.status(201).send(await service.submit(request.body)),
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
