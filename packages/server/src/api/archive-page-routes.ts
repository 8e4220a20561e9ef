// One page of an archived fax as an image, for the console's page viewer: GET /v1/inbox/{id}/pages/{page}.png and
// GET /v1/outbox/{id}/pages/{page}.png, a 1-bit PNG at the fax's own resolution (its pHYs chunk gives both); a fax
// the caller may not see answers as a missing one, as its TIFF and PDF do.

import { readFile } from 'node:fs/promises';
import { API_PREFIX, FaxApiError } from '@faxd/contract';
import { readTiff } from '@faxd/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { encodePng } from '../render/png-output.js';
import type { FaxService } from '../service/fax-service.js';
import { readOutboxFax, receivedMessage } from './archive-routes.js';
import { binaryFile, errorBody, jobPageParams } from './schemas.js';

type PageRequest = FastifyRequest<{ Params: { id: string; page: string } }>;

/** Page `page` (from 1) of the TIFF `fax`, as PNG; FAX_ERR_NOT_FOUND for a page the fax does not have. */
async function pagePng(fax: Uint8Array, request: PageRequest): Promise<Uint8Array> {
  const entry = readTiff(fax)[Number(request.params.page) - 1];
  if (!entry) throw FaxApiError.of('FAX_ERR_NOT_FOUND', { method: request.method, path: request.url });
  return encodePng(entry.page);
}

export function registerArchivePageRoutes(app: FastifyInstance, service: FaxService): void {
  const { archive, files } = service;
  const missing = (messageId: string) => FaxApiError.of('FAX_ERR_MESSAGE_NOT_FOUND', { messageId });
  const schema = (tag: string, what: string) => ({
    tags: [tag],
    summary: `One page of ${what} (image/png, its resolution in pHYs)`,
    params: jobPageParams,
    response: { 200: binaryFile, '4xx': errorBody },
  });
  app.get<{ Params: { id: string; page: string } }>(`${API_PREFIX}/inbox/:id/pages/:page.png`, {
    schema: schema('inbox', 'a received fax'),
    handler: async (request, reply) => {
      await receivedMessage(service, request.caller, request.params.id);
      const fax = new Uint8Array(await readFile(files.inboxFax(request.params.id, 'tif')));
      return reply.type('image/png').send(await pagePng(fax, request));
    },
  });
  app.get<{ Params: { id: string; page: string } }>(`${API_PREFIX}/outbox/:id/pages/:page.png`, {
    schema: schema('outbox', 'a sent fax (without header lines)'),
    handler: async (request, reply) => {
      const message = await archive.outboxMessage(request.params.id, request.caller);
      if (!message) throw missing(request.params.id);
      const fax = await readOutboxFax(files, message);
      if (!fax) throw missing(request.params.id);
      return reply.type('image/png').send(await pagePng(fax, request));
    },
  });
}
