// The archives (reference §2.11): received faxes with their TIFF and PDF, and ended outbound jobs; each caller sees
// the ones auth/caller.ts lets it see, and the others answer as missing ones do.

import { readFile } from 'node:fs/promises';
import { API_PREFIX, FaxApiError, type FaxInboxMessage, type FaxOutboxMessage } from '@faxd/contract';
import { readTiff } from '@faxd/protocol';
import type { FastifyInstance } from 'fastify';
import { type Caller, deletesMessage, type Owned, seesJob } from '../auth/caller.js';
import { encodeFaxPdf } from '../documents/fax-files.js';
import type { ArchiveKind } from '../service/archive.js';
import { readJobFax } from '../service/broadcast-documents.js';
import type { DataFiles } from '../service/data-files.js';
import type { FaxService } from '../service/fax-service.js';
import { actorOf } from '../store/audit-log.js';
import { errorBody, idParams, inboxMessage, outboxMessage } from './schemas.js';

const FORMATS = { 'document.tif': ['tif', 'image/tiff'], 'document.pdf': ['pdf', 'application/pdf'] } as const;

const missing = (messageId: string) => FaxApiError.of('FAX_ERR_MESSAGE_NOT_FOUND', { messageId });

/** The received faxes the caller may see: all with the receive folder's rights, else those of lines routed to it. */
async function receivedSeen(service: FaxService, caller: Caller, messages: readonly FaxInboxMessage[]) {
  const owned = await service.lineOwners.snapshot();
  const ownership = (message: FaxInboxMessage) =>
    owned({ direction: 'incoming', owner_id: null, device_id: message.deviceId });
  return messages.filter((message) => seesJob(caller, ownership(message)));
}

/** One received fax, or the same 404 for one there is not and one the caller may not see. */
export async function receivedMessage(service: FaxService, caller: Caller, id: string): Promise<FaxInboxMessage> {
  const message = await service.archive.inboxMessage(id);
  const [shown] = await receivedSeen(service, caller, message ? [message] : []);
  return shown ?? Promise.reject(missing(id));
}

/**
 * A sent fax as it went, without header lines: its cover page ahead of its documents (the job's files, which a
 * broadcast's job has as links once archived); undefined when they are gone.
 */
export function readOutboxFax(
  files: DataFiles,
  message: Pick<FaxOutboxMessage, 'jobId' | 'submissionTime'>,
): Promise<Uint8Array | undefined> {
  return readJobFax(files, { id: message.jobId, broadcast_id: null, submission_time: message.submissionTime });
}

export function registerArchiveRoutes(app: FastifyInstance, service: FaxService): void {
  const archive = service.archive;
  const seen = (caller: Caller, messages: readonly FaxInboxMessage[]) => receivedSeen(service, caller, messages);
  const received = (caller: Caller, id: string) => receivedMessage(service, caller, id);
  /** Each archive's Delete: the message's owner, once the caller is found to see it (else 404), by kind. */
  const DELETES: Readonly<
    Record<ArchiveKind, { summary: string; owner: (caller: Caller, id: string) => Promise<Owned> }>
  > = {
    inbox: {
      summary: 'Delete a received fax and its files (IFaxIncomingMessage.Delete)',
      owner: async (caller, id) => {
        const message = await received(caller, id);
        const owned = await service.lineOwners.snapshot();
        return owned({ direction: 'incoming', owner_id: null, device_id: message.deviceId });
      },
    },
    outbox: {
      summary: 'Delete a sent fax and its files (IFaxOutgoingMessage.Delete)',
      owner: async (caller, id) => (await archive.sentOwner(id, caller)) ?? Promise.reject(missing(id)),
    },
  };
  for (const [kind, { summary, owner }] of Object.entries(DELETES) as [ArchiveKind, (typeof DELETES)[ArchiveKind]][]) {
    app.delete<{ Params: { id: string } }>(`${API_PREFIX}/${kind}/:id`, {
      schema: { tags: [kind], summary, params: idParams, response: { 204: { type: 'null' }, '4xx': errorBody } },
      // 403 unless the caller owns the message or holds manage-archives; 204 once it is gone.
      handler: async (request, reply) => {
        const { id } = request.params;
        if (!deletesMessage(request.caller, await owner(request.caller, id))) {
          throw FaxApiError.of(
            'FAX_ERR_ACCESS_DENIED',
            { reason: 'deleting a fax someone else owns needs the right manage-archives' },
            { rights: ['manage-archives'] },
          );
        }
        const act = { actor: actorOf(request.caller), address: request.ip };
        if (!(await archive.remove(kind, id, act))) throw missing(id);
        return reply.status(204).send();
      },
    });
  }
  app.get(`${API_PREFIX}/inbox`, {
    schema: {
      tags: ['inbox'],
      summary: 'Received faxes, newest first',
      response: { 200: { type: 'array', items: inboxMessage } },
    },
    handler: async (request) => seen(request.caller, await archive.inbox()),
  });
  app.get<{ Params: { id: string } }>(`${API_PREFIX}/inbox/:id`, {
    schema: {
      tags: ['inbox'],
      summary: 'One received fax',
      params: idParams,
      response: { 200: inboxMessage, 404: errorBody },
    },
    handler: async (request) => received(request.caller, request.params.id),
  });
  for (const [file, [extension, type]] of Object.entries(FORMATS)) {
    app.get<{ Params: { id: string } }>(`${API_PREFIX}/inbox/:id/${file}`, {
      schema: { tags: ['inbox'], summary: `A received fax as ${extension.toUpperCase()}`, params: idParams },
      handler: async (request, reply) => {
        await received(request.caller, request.params.id);
        const bytes = await readFile(service.files.inboxFax(request.params.id, extension));
        return reply.type(type).send(bytes);
      },
    });
    app.get<{ Params: { id: string } }>(`${API_PREFIX}/outbox/:id/${file}`, {
      schema: {
        tags: ['outbox'],
        summary: `A sent fax as ${extension.toUpperCase()} (without header lines)`,
        params: idParams,
      },
      handler: async (request, reply) => {
        const message = await archive.outboxMessage(request.params.id, request.caller);
        if (!message) throw missing(request.params.id);
        const tiff = await readOutboxFax(service.files, message);
        if (!tiff) throw missing(request.params.id);
        if (extension === 'tif') return reply.type(type).send(tiff);
        const pages = readTiff(tiff).map((entry) => entry.page);
        return reply.type(type).send(encodeFaxPdf(pages, { creationDate: new Date(message.submissionTime) }));
      },
    });
  }
  app.get(`${API_PREFIX}/outbox`, {
    schema: {
      tags: ['outbox'],
      summary: 'Ended outbound jobs',
      response: { 200: { type: 'array', items: outboxMessage } },
    },
    handler: async (request) => archive.outbox(request.caller),
  });
  app.get<{ Params: { id: string } }>(`${API_PREFIX}/outbox/:id`, {
    schema: {
      tags: ['outbox'],
      summary: 'One ended outbound job',
      params: idParams,
      response: { 200: outboxMessage, 404: errorBody },
    },
    handler: async (request) =>
      (await archive.outboxMessage(request.params.id, request.caller)) ?? Promise.reject(missing(request.params.id)),
  });
}
