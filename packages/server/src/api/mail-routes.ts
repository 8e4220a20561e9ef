// The mail outbox seen through the API (issue 15): each mail faxd owes — a received fax for a line's routing.email, a
// delivery report — with its state (queued, sending, sent, failed), tries and last error.

import { API_PREFIX, FaxApiError } from '@faxd/contract';
import type { FastifyInstance } from 'fastify';
import type { FaxService } from '../service/fax-service.js';
import { errorBody, idParams } from './schemas.js';

const mail = ['mail'];
const nullableTime = { type: ['string', 'null'], format: 'date-time' };

const mailDelivery = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    kind: {
      type: 'string',
      enum: ['reception', 'report', 'refusal'],
      description: 'A received fax, a job’s delivery report, or why a mailed fax was refused',
    },
    sourceId: {
      type: 'string',
      description: 'The inbox message (reception) or job (report) the mail is about; any unique id (refusal)',
    },
    to: { type: 'array', items: { type: 'string' } },
    subject: { type: 'string' },
    attachments: { type: 'array', items: { type: 'string' }, description: 'File names, in order' },
    state: {
      type: 'string',
      enum: ['queued', 'sending', 'sent', 'failed'],
      description: 'sent: the SMTP relay accepted it; failed: refused for good (5xx) or given up after 5 days',
    },
    attempts: { type: 'integer' },
    createdAt: { type: 'string', format: 'date-time' },
    nextAttemptAt: { ...nullableTime, description: 'When the next try is due, while queued' },
    sentAt: nullableTime,
    lastError: { type: 'string', description: 'Why the last try failed; empty when it did not' },
  },
};

const deliveriesQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { sourceId: { ...idParams.properties.id, description: 'Only the mail about this message or job' } },
};

export function registerMailRoutes(app: FastifyInstance, service: FaxService): void {
  app.get<{ Querystring: { sourceId?: string } }>(`${API_PREFIX}/mail-deliveries`, {
    schema: {
      tags: mail,
      summary: 'The mail faxd sends or has sent, oldest first',
      querystring: deliveriesQuery,
      response: { 200: { type: 'array', items: mailDelivery } },
    },
    handler: async (request) => service.mail.list({ sourceId: request.query.sourceId }),
  });
  app.get<{ Params: { id: string } }>(`${API_PREFIX}/mail-deliveries/:id`, {
    schema: {
      tags: mail,
      summary: 'One mail delivery and its state',
      params: idParams,
      response: { 200: mailDelivery, 404: errorBody },
    },
    handler: async (request) => {
      const delivery = await service.mail.get(request.params.id);
      if (delivery) return delivery;
      throw FaxApiError.of('FAX_ERR_NOT_FOUND', { method: 'GET', path: request.url });
    },
  });
}
