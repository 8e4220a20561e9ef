// The webhook routing method: a JSON POST for each received fax, signed with HMAC-SHA256 over the body, retried with
// exponential back-off until the receiver answers 2xx. Deliveries are stored, so a restart does not lose one; a store
// that fails to read or record them is reported and tried again later, never a crash.

import { createHmac } from 'node:crypto';
import type { WebhookConfig } from '../config/faxd-config.js';
import type { FaxdDb } from '../store/database.js';
import { type FaultReport, reportFaultToStderr } from './fault-report.js';

const FIRST_RETRY_MS = 1000;
const LONGEST_RETRY_MS = 60 * 60 * 1000;
const REQUEST_TIMEOUT_MS = 10_000;
/** How long deliveries wait after a storage fault: long enough that a fault that lasts is not a busy loop. */
const STORE_RETRY_MS = 60_000;

/** The signature header's value for `body`: what a receiver recomputes with the shared secret. */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export class WebhookSender {
  readonly #db: FaxdDb;
  readonly #reportFault: FaultReport;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #closed = false;
  /** Told of each try once it is recorded (the metrics count them). */
  onTry: ((outcome: 'delivered' | 'retry') => void) | undefined;

  constructor(db: FaxdDb, reportFault: FaultReport = reportFaultToStderr) {
    this.#db = db;
    this.#reportFault = reportFault;
  }

  /** Queues the delivery unless one for this message and URL is already stored (routing tried again after a fault). */
  async enqueueOnce(messageId: string, hook: WebhookConfig, body: unknown): Promise<void> {
    const queued = await this.#db
      .selectFrom('webhooks')
      .select('message_id')
      .where('message_id', '=', messageId)
      .where('url', '=', hook.url)
      .executeTakeFirst();
    if (!queued) await this.enqueue(messageId, hook, body);
  }

  async enqueue(messageId: string, hook: WebhookConfig, body: unknown): Promise<void> {
    await this.#db
      .insertInto('webhooks')
      .values({
        message_id: messageId,
        url: hook.url,
        secret: hook.secret,
        body: JSON.stringify(body),
        attempts: 0,
        next_attempt_at: new Date().toISOString(),
        delivered_at: null,
        last_error: '',
      })
      .execute();
    this.wake();
  }

  /** Delivers what is due now, then sleeps until the next delivery falls due. */
  wake(): void {
    if (this.#closed || this.#running) return;
    clearTimeout(this.#timer);
    this.#running = this.#deliverDue().then(
      () => {
        this.#running = undefined;
        this.#sleep().catch((error: unknown) => this.#storeFault('webhook deliveries could not be scheduled', error));
      },
      (error: unknown) => {
        this.#running = undefined;
        this.#storeFault('webhook deliveries could not be read or recorded', error);
      },
    );
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  async #deliverDue(): Promise<void> {
    const due = await this.#db
      .selectFrom('webhooks')
      .selectAll()
      .where('delivered_at', 'is', null)
      .where('next_attempt_at', '<=', new Date().toISOString())
      .execute();
    await Promise.all(due.map((row) => this.#deliver(row)));
  }

  async #deliver(row: { id: number; url: string; secret: string; body: string; attempts: number }): Promise<void> {
    let error = '';
    try {
      const response = await fetch(row.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-faxd-event': 'incomingMessageAdded',
          'x-faxd-delivery': String(row.id),
          'x-faxd-signature': webhookSignature(row.secret, row.body),
        },
        body: row.body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      await response.arrayBuffer();
      if (!response.ok) error = `HTTP ${response.status}`;
    } catch (failure) {
      error = (failure as Error).message;
    }
    const attempts = row.attempts + 1;
    const now = Date.now();
    const backOff = Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** (attempts - 1));
    await this.#db
      .updateTable('webhooks')
      .set(
        error
          ? { attempts, last_error: error, next_attempt_at: new Date(now + backOff).toISOString() }
          : { attempts, last_error: '', delivered_at: new Date(now).toISOString() },
      )
      .where('id', '=', row.id)
      .execute();
    this.onTry?.(error ? 'retry' : 'delivered');
  }

  /** Reports the fault and tries again later; a wake() before then (a new delivery) tries at once. */
  #storeFault(what: string, error: unknown): void {
    this.#reportFault(what, error);
    if (this.#closed) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.wake(), STORE_RETRY_MS);
  }

  async #sleep(): Promise<void> {
    if (this.#closed) return;
    const next = await this.#db
      .selectFrom('webhooks')
      .select((w) => w.fn.min('next_attempt_at').as('at'))
      .where('delivered_at', 'is', null)
      .executeTakeFirst();
    if (!next?.at || this.#closed) return;
    const wait = Math.min(LONGEST_RETRY_MS, Math.max(0, Date.parse(next.at) - Date.now()));
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.wake(), wait);
  }
}
