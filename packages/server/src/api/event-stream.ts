// GET /v1/events: the server's notifications as Server-Sent Events. `mask` (FAX_SERVER_EVENTS_TYPE_ENUM, default all)
// selects them as ListenToServerEvents does; each message has `id:` (the event's sequence number, so a client that
// reconnects with Last-Event-ID misses nothing), `event:` (its name) and `data:` (the FaxServerEvent JSON). A replay
// the store cannot read ends the stream, so the client reconnects and asks again.

import { EVENTS_PATH, type FaxServerEvent } from '@faxd/contract';
import type { FastifyInstance } from 'fastify';
import { reportFaultToStderr } from '../service/fault-report.js';
import type { FaxService } from '../service/fax-service.js';
import { eventsQuery } from './schemas.js';

const ALL_EVENTS = 0x3ff;
const KEEPALIVE_MS = 15_000;

function message(event: FaxServerEvent, seq: number): string {
  return `id: ${seq}\nevent: ${event.event}\ndata: ${JSON.stringify(event)}\n\n`;
}

export function registerEventStream(app: FastifyInstance, service: FaxService): void {
  app.get<{ Querystring: { mask?: number } }>(EVENTS_PATH, {
    schema: {
      tags: ['events'],
      summary: 'Server-Sent Events: one message per IFaxServerNotify2 event in the mask',
      querystring: eventsQuery,
      produces: ['text/event-stream'],
    },
    handler: async (request, reply) => {
      const mask = request.query.mask ?? ALL_EVENTS;
      const lastSeq = Number(request.headers['last-event-id'] ?? Number.NaN);
      reply.hijack();
      const out = reply.raw;
      out.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      out.write(': faxd events\n\n');
      // Subscribe first, replay after: an event published in between is held back, then sent once, in order.
      const replay = Number.isInteger(lastSeq);
      const held: { seq: number; text: string }[] = [];
      let sentUpTo = replay ? lastSeq : 0;
      let live = !replay;
      const unsubscribe = service.hub.subscribe(mask, (event, seq) => {
        if (live) out.write(message(event, seq));
        else held.push({ seq, text: message(event, seq) });
      });
      const keepalive = setInterval(() => out.write(': keepalive\n\n'), KEEPALIVE_MS);
      const stop = () => {
        clearInterval(keepalive);
        unsubscribe();
      };
      request.raw.on('close', stop);
      if (!replay) return;
      let logged: Awaited<ReturnType<typeof service.hub.since>>;
      try {
        logged = await service.hub.since(lastSeq, mask);
      } catch (error) {
        // Without the replay the client would miss events; it reconnects with the same Last-Event-ID instead.
        reportFaultToStderr(`the events after ${lastSeq} could not be replayed`, error);
        stop();
        out.end();
        return;
      }
      for (const { seq, event } of logged) {
        out.write(message(event, seq));
        sentUpTo = seq;
      }
      for (const { seq, text } of held) if (seq > sentUpTo) out.write(text);
      live = true;
    },
  });
}
