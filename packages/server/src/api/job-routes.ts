// Jobs (reference §2.6–2.7): submit, list, read one, view its pages (CopyTiff), and the four operations; plus the
// queue's state.

import { API_PREFIX, FaxApiError, type FaxQueueState, type JobOperation, type SubmitJobRequest } from '@faxd/contract';
import { readTiff } from '@faxd/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { encodePng } from '../render/png-output.js';
import type { FaxService } from '../service/fax-service.js';
import { faxJob, jobsQuery, submitJobBody, submittedBroadcast } from './job-schemas.js';
import { binaryFile, errorBody, idParams, jobPageParams, jobParams, queueState } from './schemas.js';

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
      summary: 'Submit a fax to one number (to), or a broadcast to many (recipients)',
      body: submitJobBody,
      response: {
        // The broadcast's answer first: it requires its fields, which a FaxJob lacks.
        201: { anyOf: [submittedBroadcast, faxJob] },
        '4xx': submitErrorBody,
        503: submitErrorBody,
        507: submitErrorBody,
      },
    },
    handler: async (request, reply) => {
      try {
        return reply.status(201).send(await service.submit(request.body, request.caller));
      } catch (error) {
        // A submission refused for now says when to come back (RFC 9110 §10.2.3), as the error body does.
        const retry = error instanceof FaxApiError ? error.details?.retryAfterSeconds : undefined;
        if (typeof retry === 'number') void reply.header('retry-after', String(retry));
        throw error;
      }
    },
  });
  app.get<{ Querystring: { direction?: 'outgoing' | 'incoming'; all?: 'true' | 'false'; broadcast?: string } }>(
    `${API_PREFIX}/jobs`,
    {
      schema: {
        tags: jobs,
        summary: 'Jobs in the queues (with all=true, ended ones too; with broadcast=ID, that broadcast’s only)',
        querystring: jobsQuery,
        response: { 200: { type: 'array', items: faxJob } },
      },
      handler: async ({ query, caller }) =>
        service.jobs({ direction: query.direction, all: query.all === 'true', broadcast: query.broadcast }, caller),
    },
  );
  app.get<{ Params: { id: string } }>(`${API_PREFIX}/jobs/:id`, {
    schema: { tags: jobs, summary: 'One job', params: idParams, response: { 200: faxJob, 404: errorBody } },
    handler: async (request) => service.job(request.params.id, request.caller),
  });
  registerJobDocumentRoutes(app, service);
  app.post<{ Params: { jobId: string; operation: JobOperation } }>(`${API_PREFIX}/jobs/:jobId/:operation`, {
    schema: {
      tags: jobs,
      summary: 'Cancel, pause, resume or restart a job',
      params: jobParams,
      response: { 200: faxJob, '4xx': errorBody },
    },
    handler: async (request) => service.operate(request.params.jobId, request.params.operation, request.caller),
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

/**
 * What fjoVIEW offers (IFaxOutgoingJob.CopyTiff): the job's fax as TIFF Class F, and each page as a PNG. 409 while
 * the job offers no fjoVIEW (a reception still on the line), 404 once its files are gone or for a page it lacks.
 */
function registerJobDocumentRoutes(app: FastifyInstance, service: FaxService): void {
  const missing = (request: FastifyRequest) =>
    FaxApiError.of('FAX_ERR_NOT_FOUND', { method: request.method, path: request.url });
  const responses = { 200: binaryFile, '4xx': errorBody };
  app.get<{ Params: { id: string } }>(`${API_PREFIX}/jobs/:id/document.tif`, {
    schema: { tags: jobs, summary: "The job's fax as TIFF (image/tiff)", params: idParams, response: responses },
    handler: async (request, reply) => {
      const tiff = await service.jobTiff(request.params.id, request.caller);
      if (!tiff) throw missing(request);
      return reply.type('image/tiff').send(tiff);
    },
  });
  app.get<{ Params: { id: string; page: string } }>(`${API_PREFIX}/jobs/:id/pages/:page.png`, {
    schema: {
      tags: jobs,
      summary: 'One page of the job’s fax (image/png)',
      params: jobPageParams,
      response: responses,
    },
    handler: async (request, reply) => {
      const tiff = await service.jobTiff(request.params.id, request.caller);
      const entry = tiff && readTiff(tiff)[Number(request.params.page) - 1];
      if (!entry) throw missing(request);
      return reply.type('image/png').send(encodePng(entry.page));
    },
  });
}
