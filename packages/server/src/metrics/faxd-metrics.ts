// faxd's metrics in the Prometheus text exposition format (issue 16 item 4, GET /metrics): one prom-client registry per
// faxd, fed from what the service already announces — job and device events from the hub, the webhook and mail
// senders' tries, each call's result from its port (its UDPTL receiver's repairs and losses) — and, at each scrape,
// the queue as the store holds it. No counter is threaded through the lines or the protocol code: a call's length is
// the time its port is busy, its pages are what the job's row says it sent.

import {
  baseJobStatus,
  FAX_JOB_EXTENDED_STATUS_ENUM,
  FAX_JOB_STATUS_ENUM,
  FAX_SERVER_EVENTS_TYPE_ENUM,
  type FaxJobStatus,
  type FaxServerEvent,
  hasLeftQueue,
  isFinal,
  maskOfAll,
  nameOf,
} from '@faxd/contract';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { realClock } from '../lines/clock.js';
import type { LineCallResult } from '../lines/fax-line.js';
import type { Clock } from '../service/clock.js';
import type { EventHub } from '../service/event-hub.js';
import { reportFaultToStderr } from '../service/fault-report.js';
import type { AnnouncedRow } from '../service/job-book.js';
import type { FaxdDb } from '../store/database.js';

type Direction = 'outgoing' | 'incoming';

/** What one delivery try of the webhook or mail sender came to. */
export type DeliveryTry = 'delivered' | 'retry' | 'failed';

/** A sender whose tries are counted: it calls `onTry` after each. */
export interface ObservedSender<Outcome extends DeliveryTry = DeliveryTry> {
  onTry: ((outcome: Outcome) => void) | undefined;
}

/** A port whose calls' results are counted (PortRuntime). */
export interface CallingPort {
  readonly id: number;
  onCallEnded(listener: (result: LineCallResult) => void): void;
}

export interface FaxdMetricsOptions {
  readonly db: FaxdDb;
  readonly hub: EventHub;
  /** The queue's calendar: what a waiting job's age is measured by. */
  readonly clock: Clock;
  /** What calls are timed by: real time unless given, as calls run in real time whatever the queue's clock. */
  readonly callClock?: Clock;
  /** The configured lines' ids: each has its busy gauge from the start, idle until a call comes. */
  readonly lineIds: readonly number[];
  /** The row of a job change being announced (JobBook.announcedRow): its pages are counted without a read. */
  readonly announcedRow?: AnnouncedRow;
}

/** Calls last seconds to many minutes: 5 s to 30 min. */
const CALL_SECONDS_BUCKETS = [5, 15, 30, 60, 120, 300, 600, 1200, 1800];
const S = FAX_JOB_STATUS_ENUM;
/** The base states a job is on a line in: leaving one ends an attempt (or a reception). */
const ON_LINE = new Set<number>([S.fjsINPROGRESS, S.fjsCANCELING]);
/** The states an outbound job waits for a line in: pending or retrying, paused or without a line or neither. */
const WAITING = [S.fjsPENDING, S.fjsRETRYING].flatMap((base) =>
  [0, S.fjsPAUSED, S.fjsNOLINE, S.fjsPAUSED | S.fjsNOLINE].map((modifiers) => base | modifiers),
);

const statusName = (status: number) => nameOf(S, baseJobStatus(status)) ?? String(status);
const extendedName = (code: number) => nameOf(FAX_JOB_EXTENDED_STATUS_ENUM, code) ?? String(code);

export class FaxdMetrics {
  readonly registry = new Registry();
  readonly #db: FaxdDb;
  readonly #clock: Clock;
  readonly #callClock: Clock;
  readonly #announcedRow: AnnouncedRow;
  readonly #unsubscribe: () => void;
  /** Each job's base status as last announced, to see it end (or leave its line) once. */
  readonly #statusOf = new Map<string, number>();
  /** Each busy line's call: when it began, up to when its line's busy seconds are counted (epoch ms), its direction. */
  readonly #callOf = new Map<number, { startMs: number; countedMs: number; direction: Direction }>();
  /** Page counts read from the store after an attempt, pending: what a scrape waits for. */
  readonly #reads = new Set<Promise<void>>();

  readonly #jobsEnded: Counter<'direction' | 'status' | 'extended_status'>;
  readonly #pages: Counter<'direction'>;
  readonly #callSeconds: Histogram<'direction'>;
  readonly #lineBusy: Gauge<'line'>;
  readonly #lineBusySeconds: Counter<'line'>;
  readonly #webhookTries: Counter<'outcome'>;
  readonly #mailTries: Counter<'outcome'>;
  readonly #udptlRecovered: Counter<'line'>;
  readonly #udptlLost: Counter<'line'>;

  constructor(options: FaxdMetricsOptions) {
    this.#db = options.db;
    this.#clock = options.clock;
    this.#callClock = options.callClock ?? realClock();
    this.#announcedRow = options.announcedRow ?? (() => undefined);
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'faxd_' });
    this.#jobsEnded = new Counter({
      name: 'faxd_jobs_ended_total',
      help: 'Jobs that reached a final status (FAX_JOB_STATUS_ENUM), by direction, status and extended status.',
      labelNames: ['direction', 'status', 'extended_status'],
      registers,
    });
    this.#pages = new Counter({
      name: 'faxd_pages_total',
      help: 'Pages confirmed to or by the far end: direction "outgoing" is pages sent, "incoming" pages received.',
      labelNames: ['direction'],
      registers,
    });
    this.#callSeconds = new Histogram({
      name: 'faxd_call_duration_seconds',
      help: 'How long each call held its line, from dialing or answering to the line being free again.',
      labelNames: ['direction'],
      buckets: CALL_SECONDS_BUCKETS,
      registers,
    });
    this.#lineBusy = new Gauge({
      name: 'faxd_line_busy',
      help: 'Whether the line (port) has a call now: 1 busy, 0 free.',
      labelNames: ['line'],
      registers,
    });
    this.#lineBusySeconds = new Counter({
      name: 'faxd_line_busy_seconds_total',
      help: 'Seconds each line has spent in calls (its utilisation is the rate of this).',
      labelNames: ['line'],
      registers,
      collect: () => this.#accrueBusyTime(),
    });
    this.#webhookTries = new Counter({
      name: 'faxd_webhook_deliveries_total',
      help: 'Webhook delivery tries: "delivered" (2xx), "retry" (failed, tried again later).',
      labelNames: ['outcome'],
      registers,
    });
    this.#mailTries = new Counter({
      name: 'faxd_mail_deliveries_total',
      help: 'Mail delivery tries: "delivered" (the relay took it), "retry" (tried again later), "failed" (given up).',
      labelNames: ['outcome'],
      registers,
    });
    this.#udptlRecovered = new Counter({
      name: 'faxd_t38_udptl_recovered_total',
      help: 'T.38 IFPs whose UDPTL datagram was lost but that a later one carried as redundancy, by receiving line.',
      labelNames: ['line'],
      registers,
    });
    this.#udptlLost = new Counter({
      name: 'faxd_t38_udptl_lost_total',
      help: 'T.38 IFPs lost for good (neither their datagram nor any redundancy arrived), by receiving line.',
      labelNames: ['line'],
      registers,
    });
    this.#queueGauges(registers);
    for (const id of options.lineIds) {
      const line = String(id);
      this.#lineBusy.set({ line }, 0);
      for (const counter of [this.#lineBusySeconds, this.#udptlRecovered, this.#udptlLost]) counter.inc({ line }, 0);
    }
    const mask = maskOfAll(FAX_SERVER_EVENTS_TYPE_ENUM);
    this.#unsubscribe = options.hub.subscribe(mask, (event) => this.#onEvent(event));
  }

  /** The metrics of one faxd: its lines' ids, the hub's events, the webhook and mail senders' tries. */
  static ofService(service: {
    readonly db: FaxdDb;
    readonly hub: EventHub;
    readonly clock: Clock;
    readonly ports: readonly CallingPort[];
    readonly webhooks: ObservedSender<'delivered' | 'retry'>;
    readonly mail: ObservedSender;
    readonly announcedRow?: AnnouncedRow;
  }): FaxdMetrics {
    const { db, hub, clock, ports, announcedRow } = service;
    const metrics = new FaxdMetrics({ db, hub, clock, lineIds: ports.map((port) => port.id), announcedRow });
    metrics.observe(service.webhooks, 'webhook');
    metrics.observe(service.mail, 'mail');
    for (const port of ports) port.onCallEnded((result) => metrics.#callEnded(port.id, result));
    return metrics;
  }

  /** Counts the sender's tries from now on under `faxd_webhook_deliveries_total` or `faxd_mail_deliveries_total`. */
  observe<Outcome extends DeliveryTry>(sender: ObservedSender<Outcome>, kind: 'webhook' | 'mail'): void {
    const counter = kind === 'webhook' ? this.#webhookTries : this.#mailTries;
    sender.onTry = (outcome) => counter.inc({ outcome });
  }

  /** The exposition: Prometheus text format, version 0.0.4. */
  async exposition(): Promise<{ contentType: string; text: string }> {
    // The pages of an attempt that just ended are counted before the scrape reads them.
    await Promise.all(this.#reads);
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }

  close(): void {
    this.#unsubscribe();
  }

  #onEvent(event: FaxServerEvent): void {
    if (event.event === 'outgoingJobChanged') this.#jobChanged('outgoing', event.jobId, event.status);
    else if (event.event === 'incomingJobChanged') this.#jobChanged('incoming', event.jobId, event.status);
    else if (event.event === 'outgoingJobRemoved' || event.event === 'incomingJobRemoved') {
      this.#statusOf.delete(event.jobId);
    } else if (event.event === 'deviceStatusChange') {
      this.#deviceChanged(event.deviceId, event.sending ? 'outgoing' : event.receiving ? 'incoming' : undefined);
    }
  }

  #jobChanged(direction: Direction, jobId: string, status: FaxJobStatus): void {
    const base = baseJobStatus(status.status);
    const previous = this.#statusOf.get(jobId);
    this.#statusOf.set(jobId, base);
    if (previous === base) return;
    if (previous !== undefined && ON_LINE.has(previous) && !ON_LINE.has(base)) this.#countPages(direction, jobId);
    if (isFinal(base) && (previous === undefined || !isFinal(previous))) {
      const labels = { direction, status: statusName(base), extended_status: extendedName(status.extendedStatusCode) };
      this.#jobsEnded.inc(labels);
    }
  }

  /**
   * Adds the pages the attempt that just ended got through, as its row records them: confirmed pages of a sending
   * attempt, kept pages of a reception. The row announced with the change when this node's book wrote it; else read as
   * the change is announced, before the next attempt can reset the count: the store runs its statements in the order
   * they are asked.
   */
  #countPages(direction: Direction, jobId: string): void {
    const announced = this.#announcedRow(jobId);
    if (announced) {
      this.#pages.inc({ direction }, direction === 'outgoing' ? announced.confirmed_pages : announced.pages);
      return;
    }
    const read = this.#db
      .selectFrom('jobs')
      .select(['confirmed_pages', 'pages'])
      .where('id', '=', jobId)
      .executeTakeFirst()
      .then((row) => {
        if (!row) return;
        this.#pages.inc({ direction }, direction === 'outgoing' ? row.confirmed_pages : row.pages);
      })
      .catch((error: unknown) => reportFaultToStderr(`the pages of job ${jobId} were not counted`, error))
      .finally(() => this.#reads.delete(read));
    this.#reads.add(read);
  }

  /** Counts what the call's UDPTL receiver repaired and lost (a call over audio has none). */
  #callEnded(deviceId: number, result: LineCallResult): void {
    if (!result.udptl) return;
    const line = String(deviceId);
    this.#udptlRecovered.inc({ line }, result.udptl.recovered);
    this.#udptlLost.inc({ line }, result.udptl.lost);
  }

  #deviceChanged(deviceId: number, direction: Direction | undefined): void {
    const line = String(deviceId);
    const call = this.#callOf.get(deviceId);
    const now = this.#callClock.now();
    if (call && direction === undefined) {
      this.#callOf.delete(deviceId);
      this.#callSeconds.observe({ direction: call.direction }, Math.max(0, now - call.startMs) / 1000);
      this.#lineBusySeconds.inc({ line }, Math.max(0, now - call.countedMs) / 1000);
    } else if (!call && direction !== undefined) {
      this.#callOf.set(deviceId, { startMs: now, countedMs: now, direction });
    }
    this.#lineBusy.set({ line }, direction === undefined ? 0 : 1);
  }

  /** Moves the time of calls still going into their lines' busy seconds, so a long call shows while it lasts. */
  #accrueBusyTime(): void {
    const now = this.#callClock.now();
    for (const [deviceId, call] of this.#callOf) {
      if (now <= call.countedMs) continue;
      // The call's histogram sample still covers it whole when it ends; only the line's counter takes it in parts.
      this.#lineBusySeconds.inc({ line: String(deviceId) }, (now - call.countedMs) / 1000);
      call.countedMs = now;
    }
  }

  /** The jobs by status and the outbound queue, read from the store at each scrape. */
  #queueGauges(registers: Registry[]): void {
    const db = this.#db;
    const clock = this.#clock;
    new Gauge({
      name: 'faxd_jobs',
      help: 'Jobs in the queues now (not yet left them), by direction and base status (FAX_JOB_STATUS_ENUM).',
      labelNames: ['direction', 'status'],
      registers,
      async collect() {
        const rows = await db
          .selectFrom('jobs')
          .select(['direction', 'status', (j) => j.fn.countAll<number>().as('count')])
          .groupBy(['direction', 'status'])
          .execute();
        this.reset();
        for (const row of rows) {
          if (hasLeftQueue(row.status)) continue;
          this.inc({ direction: row.direction, status: statusName(row.status) }, Number(row.count));
        }
      },
    });
    new Gauge({
      name: 'faxd_queue_depth',
      help: 'Outbound jobs waiting for a line (pending or retrying, paused or not).',
      registers,
      async collect() {
        this.set((await queuedJobs(db)).length);
      },
    });
    new Gauge({
      name: 'faxd_queue_oldest_age_seconds',
      help: 'How long the oldest outbound job waiting for a line has been queued (0 when none waits).',
      registers,
      async collect() {
        const submitted = (await queuedJobs(db)).map((row) => Date.parse(row.submission_time));
        const oldest = Math.min(...submitted);
        this.set(Number.isFinite(oldest) ? Math.max(0, clock.now() - oldest) / 1000 : 0);
      },
    });
  }
}

/** The outbound jobs waiting for a line. */
function queuedJobs(db: FaxdDb): Promise<{ submission_time: string }[]> {
  return db
    .selectFrom('jobs')
    .select('submission_time')
    .where('direction', '=', 'outgoing')
    .where('status', 'in', WAITING)
    .execute();
}
