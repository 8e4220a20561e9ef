// GET /metrics (issue 16 item 4): faxd's metrics in the Prometheus text exposition format, for a scraper holding an
// API key with query-config (route-rights.ts): what the lines and queues do is configuration-level knowledge, as the
// ports' status is. Outside /v1, as scrapers expect it, yet authenticated like the API (authentication.ts).

import type { FastifyInstance } from 'fastify';
import type { FaxService } from '../service/fax-service.js';

export const METRICS_PATH = '/metrics';

export function registerMetricsRoutes(app: FastifyInstance, service: FaxService): void {
  app.get(METRICS_PATH, {
    schema: {
      tags: ['metrics'],
      summary: 'Metrics in the Prometheus text format (version 0.0.4)',
      description:
        'Jobs by status and outcome, pages sent and received, call duration, line utilisation, queue depth and age, ' +
        'webhook and mail deliveries, and the process (event-loop lag, memory).',
      produces: ['text/plain'],
      response: { 200: { description: 'The exposition', content: { 'text/plain': { schema: { type: 'string' } } } } },
    },
    handler: async (_request, reply) => {
      const { contentType, text } = await service.metrics.exposition();
      return reply.type(contentType).send(text);
    },
  });
}
