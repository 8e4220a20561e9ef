// POST /v1/previews: the pages a submission of these documents would send, rendered by the same conversion as
// POST /v1/jobs (fax resolution, the same limits and refusals) and answered as PNG images; nothing is queued or kept.

import { API_PREFIX, type FaxPreview, type PreviewRequest } from '@faxd/contract';
import { readTiff } from '@faxd/protocol';
import type { FastifyInstance } from 'fastify';
import { encodePng } from '../render/png-output.js';
import type { FaxService } from '../service/fax-service.js';
import { errorBody, submitJobBody } from './schemas.js';

const previewBody = {
  type: 'object',
  required: ['documents'],
  additionalProperties: false,
  properties: { documents: submitJobBody.properties.documents },
};

const faxPreview = {
  type: 'object',
  required: ['pages'],
  properties: {
    pages: {
      type: 'array',
      items: {
        type: 'object',
        required: ['width', 'height', 'xResolution', 'yResolution', 'pngBase64'],
        properties: {
          width: { type: 'integer' },
          height: { type: 'integer' },
          xResolution: { type: 'number' },
          yResolution: { type: 'number' },
          pngBase64: { type: 'string', description: 'A 1-bit PNG, one image pixel per fax pixel' },
        },
      },
    },
  },
};

export function registerPreviewRoutes(app: FastifyInstance, service: FaxService): void {
  app.post<{ Body: PreviewRequest }>(`${API_PREFIX}/previews`, {
    schema: {
      tags: ['jobs'],
      summary: 'The fax pages these documents would be sent as (PNG), before submitting them',
      body: previewBody,
      response: { 200: faxPreview, '4xx': errorBody },
    },
    handler: async (request): Promise<FaxPreview> => {
      const { fax } = await service.preview(request.body.documents);
      const pages = readTiff(fax).map(({ page }) => ({
        width: page.width,
        height: page.height,
        xResolution: page.xResolution,
        yResolution: page.yResolution,
        pngBase64: Buffer.from(encodePng(page)).toString('base64'),
      }));
      return { pages };
    },
  });
}
