// POST /v1/previews: the pages a submission of these documents would send, rendered by the same conversion as
// POST /v1/jobs (fax resolution, the same limits and refusals), with the header line an attempt would stamp now, as
// PNG images; nothing is queued or kept.

import { API_PREFIX, FaxApiError, type FaxPreview, type PreviewRequest } from '@faxd/contract';
import { type BilevelPage, readTiff } from '@faxd/protocol';
import type { FastifyInstance } from 'fastify';
import type { FaxdConfig } from '../config/faxd-config.js';
import { headerText, stampHeader } from '../render/page-header.js';
import { encodePng } from '../render/png-output.js';
import type { FaxService } from '../service/fax-service.js';
import { submitJobBody } from './job-schemas.js';
import { errorBody } from './schemas.js';

const previewBody = {
  type: 'object',
  required: ['documents'],
  additionalProperties: false,
  properties: {
    documents: submitJobBody.properties.documents,
    to: submitJobBody.properties.to,
    recipientName: submitJobBody.properties.recipientName,
    senderName: submitJobBody.properties.senderName,
    senderCompany: submitJobBody.properties.senderCompany,
    senderFaxNumber: submitJobBody.properties.senderFaxNumber,
    senderVoiceNumber: submitJobBody.properties.senderVoiceNumber,
    coverPage: submitJobBody.properties.coverPage,
    line: submitJobBody.properties.line,
  },
};

/** The pages with the header line stamped as an attempt on the request's line would stamp it at `at`. */
async function withHeader(pages: BilevelPage[], request: PreviewRequest, config: FaxdConfig, at: Date) {
  const template = config.outboundQueue.headerTemplate;
  const line = config.lines.find((l) => (request.line === undefined ? l.send : l.id === request.line));
  if (line === undefined && request.line !== undefined) {
    throw FaxApiError.of('FAX_ERR_PORT_NOT_FOUND', { deviceId: request.line });
  }
  // No header configured, or no line that could send (the submission would be refused for that): the bare pages.
  if (!template || line === undefined) return pages;
  const fields = {
    tsid: line.tsid,
    recipient: request.recipientName || request.to || '',
    sender: request.senderName ?? '',
    at,
  };
  return Promise.all(pages.map((page, i) => stampHeader(page, headerText(template, fields, i + 1, pages.length))));
}

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
      const { fax } = await service.preview(request.body.documents, request.body);
      const rendered = readTiff(fax).map(({ page }) => page);
      const stamped = await withHeader(rendered, request.body, service.config, new Date());
      const pages = stamped.map((page) => ({
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
