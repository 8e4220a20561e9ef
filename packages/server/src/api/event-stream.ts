// GET /v1/events: the server's notifications as Server-Sent Events. `mask` (FAX_SERVER_EVENTS_TYPE_ENUM, default all)
// selects them as ListenToServerEvents does; each message has `id:` (the event's sequence number, so a client that
// reconnects with Last-Event-ID misses nothing), `event:` (its name) and `data:` (the FaxServerEvent JSON). On a store
// several nodes share, the stream shows every node's events, numbered alike on every node (EventHub.follow). A replay
// the store cannot read ends the stream, so the client reconnects and asks again. The log keeps a window (the `events`
// configuration): a client whose Last-Event-ID is older gets what is left, after a comment naming the events it missed.
// A caller hears only of what it may see (auth/event-audience.ts); revoking its key, or signing out of the console
// session it came with, ends its stream at once.

import { EVENTS_PATH, type FaxServerEvent } from '@faxd/contract';
import type { FastifyInstance } from 'fastify';
import type { ConsoleSessions } from '../auth/console-sessions.js';
import { seesEvent } from '../auth/event-audience.js';
import type { EventReplay } from '../service/event-hub.js';
import { reportFaultToStderr } from '../service/fault-report.js';
import type { FaxService } from '../service/fax-service.js';
import { eventsHeaders, eventsQuery } from './schemas.js';

const ALL_EVENTS = 0x3ff;
const KEEPALIVE_MS = 15_000;

function message(event: FaxServerEvent, seq: number): string {
  return `id: ${seq}\nevent: ${event.event}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** An SSE comment (clients ignore it; people and logs read it): the replay cannot start where the client asked. */
function prunedNotice(lastSeq: number, firstKept: number): string {
  return `: events ${lastSeq + 1} to ${firstKept - 1} are past the event log's retention; the replay starts at ${firstKept}\n\n`;
}

export function registerEventStream(app: FastifyInstance, service: FaxService, sessions: ConsoleSessions): void {
  app.get<{ Querystring: { mask?: string }; Headers: { 'last-event-id'?: string } }>(EVENTS_PATH, {
    schema: {
      tags: ['events'],
      summary: 'Server-Sent Events: one message per IFaxServerNotify2 event in the mask',
      description:
        'With Last-Event-ID, the events after it are replayed first. The server keeps a window of events (the ' +
        '`events` configuration: keepDays, keepCount); when the ones asked for are older, the replay starts at the ' +
        "oldest kept, after the comment `: events A to B are past the event log's retention; the replay starts at C`.",
      querystring: eventsQuery,
      headers: eventsHeaders,
      produces: ['text/event-stream'],
    },
    handler: async (request, reply) => {
      // Fastify answers HEAD with this handler too. A HEAD response has no body, so Node holds its headers back until
      // it ends, which a stream never does: the client would wait forever, its subscription open on the server.
      if (request.method === 'HEAD') {
        return reply
          .header('content-type', 'text/event-stream; charset=utf-8')
          .header('cache-control', 'no-cache')
          .send();
      }
      const mask = request.query.mask === undefined ? ALL_EVENTS : Number(request.query.mask);
      const lastEventId = request.headers['last-event-id'];
      const lastSeq = lastEventId === undefined ? Number.NaN : Number(lastEventId);
      reply.hijack();
      const out = reply.raw;
      out.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        // HTTP/2 (HTTPS) has no connection header (RFC 9113 §8.2.2): Node warns and drops it.
        ...(request.raw.httpVersionMajor < 2 && { connection: 'keep-alive' }),
      });
      out.write(': faxd events\n\n');
      // Each event goes out only if this caller may see it (auth/event-audience.ts), decided in order, one at a time.
      let caller = request.caller;
      let sending = Promise.resolve();
      const send = (event: FaxServerEvent, seq: number) => {
        sending = sending
          .then(async () => {
            if (out.writableEnded || !(await seesEvent(caller, event, (id) => service.owners.of(id)))) return;
            out.write(message(event, seq));
          })
          .catch((error: unknown) => {
            // Without knowing who may see it, the event is not sent; the stream ends so the client replays.
            reportFaultToStderr(`event ${seq} was not sent to ${caller.name}`, error);
            stop();
            out.end();
          });
      };
      // Subscribe first, replay after: an event published in between is held back, then sent once, in order.
      const replay = Number.isInteger(lastSeq);
      const held: { seq: number; event: FaxServerEvent }[] = [];
      let sentUpTo = replay ? lastSeq : 0;
      let live = !replay;
      const unsubscribe = service.hub.follow(mask, (event, seq) => {
        if (live) send(event, seq);
        else held.push({ seq, event });
      });
      const keepalive = setInterval(() => out.write(': keepalive\n\n'), KEEPALIVE_MS);
      // A key revoked (or its user removed) ends the stream at once; changed rights apply from the next event.
      const unwatch = service.keys.watch(caller, (now) => {
        if (now !== undefined) caller = now;
        else {
          stop();
          out.end(': the API key was revoked\n\n');
        }
      });
      let unwatchSession = () => {};
      const stop = () => {
        clearInterval(keepalive);
        unsubscribe();
        unwatch();
        unwatchSession();
      };
      // A stream the console opened ends with its session: after signing out, nothing more reaches that browser.
      if (request.consoleSession !== undefined) {
        unwatchSession = sessions.whenEnded(request.consoleSession, () => {
          stop();
          out.end(': the console session ended\n\n');
        });
      }
      request.raw.on('close', stop);
      if (!replay) return;
      let logged: EventReplay;
      try {
        logged = await service.hub.replay(lastSeq, mask);
      } catch (error) {
        // Without the replay the client would miss events; it reconnects with the same Last-Event-ID instead.
        reportFaultToStderr(`the events after ${lastSeq} could not be replayed`, error);
        stop();
        out.end();
        return;
      }
      if (logged.firstKept !== null && logged.firstKept > lastSeq + 1) {
        out.write(prunedNotice(lastSeq, logged.firstKept));
      }
      for (const { seq, event } of logged.events) {
        send(event, seq);
        sentUpTo = seq;
      }
      for (const { seq, event } of held) if (seq > sentUpTo) send(event, seq);
      live = true;
    },
  });
}
