// What the API writes to the audit log (issue 13 item 6), in one table by operation: each successful answer of an
// audited route records who (the caller), what, which object and from which address; and GET /v1/audit reads the log.
// A download that cannot be recorded is not answered, so no one takes a fax's pages unrecorded; a read or a change
// already made is answered, its missing record reported on stderr. A client polling a job's status (`fax send
// --wait`, the SDK's refresh) would write a row, and a WAL page, a poll: a caller's reads of one object are recorded
// once a READ_WINDOW_MS. Deletions are recorded with the deletion itself (archive.ts).

import { API_PREFIX, type FaxAuditAction, type JobOperation } from '@faxd/contract';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { reportFaultToStderr } from '../service/fault-report.js';
import type { FaxService } from '../service/fax-service.js';
import { type AuditQuery, actorOf } from '../store/audit-log.js';
import { operationOf } from './route-rights.js';
import { auditEntry, auditQuery } from './schemas.js';

interface Audited {
  readonly action: (request: FastifyRequest) => FaxAuditAction;
  /** The object acted on, from the path or (a submission) from the answer. */
  readonly object: (params: Record<string, string>, answer: string) => string;
  /** Whether the answer waits for its record (downloads), or goes anyway (reads, changes already made). */
  readonly recordFirst: boolean;
}

const PAST: Readonly<Record<JobOperation, FaxAuditAction>> = {
  cancel: 'canceled',
  pause: 'paused',
  resume: 'resumed',
  restart: 'restarted',
};

/** Repeated reads of one object by one caller within this time are one act in the log. */
const READ_WINDOW_MS = 60_000;

const read = (kind: string, action: FaxAuditAction = 'read'): Audited => ({
  action: () => action,
  object: (params) => `${kind}:${params.id}`,
  recordFirst: action === 'downloaded',
});

/** Which reads were recorded when, to leave out repeats within READ_WINDOW_MS. */
class RecentReads {
  readonly #recorded = new Map<string, number>();

  /** Whether this read is new (and now counted), or a repeat to leave out. */
  isNew(actor: string, object: string, now: number): boolean {
    const key = `${actor}\n${object}`;
    const last = this.#recorded.get(key);
    if (last !== undefined && now - last < READ_WINDOW_MS) return false;
    // Bounded by forgetting what is past the window once the map grows.
    if (this.#recorded.size > 10_000) {
      for (const [seen, at] of this.#recorded) if (now - at >= READ_WINDOW_MS) this.#recorded.delete(seen);
    }
    this.#recorded.set(key, now);
    return true;
  }
}

/** A submission's object: the job it made, or the broadcast. */
function submitted(answer: string): string {
  const body = JSON.parse(answer) as { jobId?: string; broadcastId?: string | null; jobIds?: string[] };
  // A job answer names its broadcast too (null when it has none); only the broadcast's answer lists jobIds.
  return Array.isArray(body.jobIds) ? `broadcast:${body.broadcastId}` : `job:${body.jobId}`;
}

/** The audited operations, `METHOD /path` as in ROUTE_RIGHTS. */
const AUDITED: Readonly<Record<string, Audited>> = {
  'POST /v1/jobs': { action: () => 'submitted', object: (_, answer) => submitted(answer), recordFirst: false },
  'GET /v1/jobs/{id}': read('job'),
  'GET /v1/jobs/{id}/document.tif': read('job', 'downloaded'),
  'GET /v1/jobs/{id}/pages/{page}.png': read('job', 'downloaded'),
  'POST /v1/jobs/{jobId}/{operation}': {
    action: (request) => PAST[(request.params as { operation: JobOperation }).operation],
    object: (params) => `job:${params.jobId}`,
    recordFirst: false,
  },
  'POST /v1/broadcasts/{id}/cancel': { ...read('broadcast', 'canceled'), recordFirst: false },
  'PATCH /v1/queue': { action: () => 'queue-changed', object: () => 'queue', recordFirst: false },
  'GET /v1/inbox/{id}': read('inbox'),
  'GET /v1/inbox/{id}/document.tif': read('inbox', 'downloaded'),
  'GET /v1/inbox/{id}/document.pdf': read('inbox', 'downloaded'),
  'GET /v1/outbox/{id}': read('outbox'),
  'GET /v1/outbox/{id}/document.tif': read('outbox', 'downloaded'),
  'GET /v1/outbox/{id}/document.pdf': read('outbox', 'downloaded'),
};

export function registerAuditTrail(app: FastifyInstance, service: FaxService): void {
  const recent = new RecentReads();
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (reply.statusCode >= 300 || request.routeOptions.url === undefined) return payload;
    const audited = AUDITED[operationOf(request.method, request.routeOptions.url)];
    if (!audited) return payload;
    const act = {
      actor: actorOf(request.caller),
      action: audited.action(request),
      object: audited.object(request.params as Record<string, string>, typeof payload === 'string' ? payload : ''),
      address: request.ip,
    };
    if (act.action === 'read' && !recent.isNew(act.actor, act.object, Date.now())) return payload;
    const recorded = service.audit.record(act);
    if (audited.recordFirst) await recorded;
    else
      await recorded.catch((error: unknown) => reportFaultToStderr(`${act.action} ${act.object} not audited`, error));
    return payload;
  });
  app.get<{ Querystring: Record<keyof AuditQuery, string | undefined> }>(`${API_PREFIX}/audit`, {
    schema: {
      tags: ['audit'],
      summary: 'The audit log, newest first: who submitted, read, downloaded, canceled or deleted what, when, whence',
      querystring: auditQuery,
      response: { 200: { type: 'array', items: auditEntry } },
    },
    handler: async ({ query }) =>
      service.audit.list({ ...query, limit: query.limit === undefined ? undefined : Number(query.limit) }),
  });
}
