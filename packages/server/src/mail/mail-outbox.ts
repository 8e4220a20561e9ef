// The durable outbox of the mail faxd sends (issue 15): each mail is a row first, then handed to the SMTP relay by
// nodemailer, one at a time, retried with exponential back-off while the relay is away or answers 4xx, and given up on
// a 5xx answer or after GIVE_UP_AFTER_MS. A storage fault is reported and tried again later, never a crash.
//
// Delivery is at least once, and once in every case but one: a try is recorded as `sending` before the relay is
// called, so a faxd killed mid-delivery finds the row at its next start and sends it again. If the kill fell after the
// relay's final 250 but before the row said `sent`, the mail goes twice; both carry the same Message-ID, which mail
// stores and readers use to show one message. SMTP offers nothing stronger (RFC 1047 describes the same window).

import { readFile } from 'node:fs/promises';
import type { SmtpConfig } from '../config/mail-config.js';
import { newId } from '../service/data-files.js';
import { type FaultReport, reportFaultToStderr } from '../service/fault-report.js';
import type { FaxdDb } from '../store/database.js';
import type { MailDeliveryTable } from '../store/schema.js';
import { type MailAttachment, type MailDelivery, type MailToSend, mailDeliveryOf } from './mail-message.js';

const FIRST_RETRY_MS = 1000;
const LONGEST_RETRY_MS = 60 * 60 * 1000;
/** As long as a mail server keeps a message it cannot pass on (Postfix's maximal_queue_lifetime). */
const GIVE_UP_AFTER_MS = 5 * 24 * 60 * 60 * 1000;
/** How long sending waits after a storage fault: long enough that a fault that lasts is not a busy loop. */
const STORE_RETRY_MS = 60_000;
/** A relay that neither answers nor hangs up is a relay away; the try fails and is retried. */
const CONNECT_TIMEOUT_MS = 15_000;
const REPLY_TIMEOUT_MS = 120_000;

type MailRow = MailDeliveryTable;

/** What became of one try: the relay took the mail, or the error and whether another try could go better. */
type TryOutcome =
  | { readonly sent: true }
  | { readonly sent: false; readonly error: string; readonly permanent: boolean };

export class MailOutbox {
  readonly #db: FaxdDb;
  readonly #smtp: SmtpConfig | null;
  readonly #reportFault: FaultReport;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  /** A wake() while sending: look again for due mail once the current round ends. */
  #again = false;
  #closed = false;
  /** Told of each try once it is recorded (the metrics count them). */
  onTry: ((outcome: 'delivered' | 'retry' | 'failed') => void) | undefined;

  constructor(db: FaxdDb, smtp: SmtpConfig | null, reportFault: FaultReport = reportFaultToStderr) {
    this.#db = db;
    this.#smtp = smtp;
    this.#reportFault = reportFault;
  }

  /**
   * Stores the mail unless one of its kind about the same source is already stored (a routing tried again after a
   * fault, or after a restart), then sends what is due.
   */
  async enqueueOnce(mail: MailToSend): Promise<void> {
    const now = new Date().toISOString();
    await this.#db
      .insertInto('mail_deliveries')
      .values({
        id: newId(),
        kind: mail.kind,
        source_id: mail.sourceId,
        recipients: JSON.stringify(mail.to),
        subject: mail.subject,
        body: mail.body,
        attachments: JSON.stringify(mail.attachments),
        message_key: `${newId()}${newId()}`,
        state: 'queued',
        attempts: 0,
        created_at: now,
        next_attempt_at: now,
        sent_at: null,
        last_error: '',
      })
      .onConflict((conflict) => conflict.columns(['kind', 'source_id']).doNothing())
      .execute();
    this.wake();
  }

  /** At start: a try that was under way when faxd stopped never finished, as far as faxd can know; it is due again. */
  async recover(): Promise<void> {
    await this.#db.updateTable('mail_deliveries').set({ state: 'queued' }).where('state', '=', 'sending').execute();
  }

  async list(filter: { sourceId?: string } = {}): Promise<MailDelivery[]> {
    let query = this.#db.selectFrom('mail_deliveries').selectAll().orderBy('created_at').orderBy('id');
    if (filter.sourceId !== undefined) query = query.where('source_id', '=', filter.sourceId);
    return (await query.execute()).map(mailDeliveryOf);
  }

  async get(id: string): Promise<MailDelivery | undefined> {
    const row = await this.#db.selectFrom('mail_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
    return row && mailDeliveryOf(row);
  }

  /** Sends what is due now, one mail after another, then sleeps until the next falls due. */
  wake(): void {
    if (this.#closed) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#running = this.#sendDue()
      .then(() => this.#sleep())
      .catch((error: unknown) => this.#storeFault(error))
      .finally(() => {
        this.#running = undefined;
        if (this.#again) {
          this.#again = false;
          this.wake();
        }
      });
  }

  /** Resolves once the round of sending under way, if any, has ended: what a test waits for. */
  async settled(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  async #sendDue(): Promise<void> {
    for (;;) {
      this.#again = false;
      const due = await this.#db
        .selectFrom('mail_deliveries')
        .selectAll()
        .where('state', '=', 'queued')
        .where('next_attempt_at', '<=', new Date().toISOString())
        .orderBy('next_attempt_at')
        .limit(1)
        .executeTakeFirst();
      if (!due || this.#closed) return;
      await this.#try(due);
    }
  }

  async #try(row: MailRow): Promise<void> {
    const attempts = row.attempts + 1;
    // Recorded before the relay hears of it: a crash from here on leaves a row the next start sends again.
    await this.#db
      .updateTable('mail_deliveries')
      .set({ state: 'sending', attempts })
      .where('id', '=', row.id)
      .execute();
    const outcome = await this.#send(row);
    const now = Date.now();
    const backOff = Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** (attempts - 1));
    const expired = now + backOff > Date.parse(row.created_at) + GIVE_UP_AFTER_MS;
    let change: Partial<MailRow>;
    if (outcome.sent) change = { state: 'sent', sent_at: new Date(now).toISOString(), last_error: '' };
    else if (outcome.permanent || expired) change = { state: 'failed', last_error: outcome.error };
    else
      change = { state: 'queued', last_error: outcome.error, next_attempt_at: new Date(now + backOff).toISOString() };
    await this.#db.updateTable('mail_deliveries').set(change).where('id', '=', row.id).execute();
    this.onTry?.(change.state === 'sent' ? 'delivered' : change.state === 'failed' ? 'failed' : 'retry');
  }

  async #send(row: MailRow): Promise<TryOutcome> {
    const smtp = this.#smtp;
    if (!smtp) return { sent: false, error: 'no "smtp" relay is configured', permanent: false };
    let attachments: { filename: string; contentType: string; content: Buffer }[];
    try {
      attachments = await Promise.all((JSON.parse(row.attachments) as MailAttachment[]).map(attachmentContent));
    } catch (error) {
      // The fax's files were purged or lost: the mail cannot be what it promises, now or later.
      return { sent: false, error: `an attachment could not be read: ${(error as Error).message}`, permanent: true };
    }
    // nodemailer loads at the first mail, not at every start of a faxd that may never send one.
    const { createTransport } = await import('nodemailer');
    const transport = createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      auth: smtp.username === null ? undefined : { user: smtp.username, pass: smtp.password ?? '' },
      connectionTimeout: CONNECT_TIMEOUT_MS,
      greetingTimeout: CONNECT_TIMEOUT_MS,
      socketTimeout: REPLY_TIMEOUT_MS,
    });
    try {
      await transport.sendMail({
        from: smtp.from,
        to: JSON.parse(row.recipients) as string[],
        subject: row.subject,
        text: row.body,
        date: new Date(row.created_at),
        messageId: `<${row.message_key}@${smtp.from.slice(smtp.from.lastIndexOf('@') + 1)}>`,
        attachments,
      });
      return { sent: true };
    } catch (error) {
      const { message, responseCode } = error as Error & { responseCode?: number };
      // RFC 5321 §4.2.1: 5yz is a permanent refusal (a recipient that does not exist); anything else may pass later.
      const permanent = responseCode !== undefined && responseCode >= 500 && responseCode < 600;
      return { sent: false, error: message, permanent };
    } finally {
      transport.close();
    }
  }

  /** Reports the fault and tries again later; a wake() before then (a new mail) tries at once. */
  #storeFault(error: unknown): void {
    this.#reportFault('mail deliveries could not be read or recorded', error);
    if (this.#closed) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.wake(), STORE_RETRY_MS);
  }

  async #sleep(): Promise<void> {
    const next = await this.#db
      .selectFrom('mail_deliveries')
      .select((m) => m.fn.min('next_attempt_at').as('at'))
      .where('state', '=', 'queued')
      .executeTakeFirst();
    if (!next?.at || this.#closed) return;
    clearTimeout(this.#timer);
    const wait = Math.min(LONGEST_RETRY_MS, Math.max(0, Date.parse(next.at) - Date.now()));
    this.#timer = setTimeout(() => this.wake(), wait);
  }
}

async function attachmentContent(attachment: MailAttachment) {
  const content =
    attachment.path === undefined
      ? Buffer.from(attachment.contentBase64 ?? '', 'base64')
      : await readFile(attachment.path);
  return { filename: attachment.filename, contentType: attachment.contentType, content };
}
