// What the mail outbox stores and the API shows: a mail to send (its recipients, text and attachments) and a
// delivery's state (GET /v1/mail-deliveries).

import type { MailDeliveryState, MailDeliveryTable } from '../store/schema.js';

/** A file read when the mail is sent (so the row stays small), or small content kept inline (a thumbnail). */
export interface MailAttachment {
  readonly filename: string;
  readonly contentType: string;
  readonly path?: string;
  readonly contentBase64?: string;
}

export interface MailToSend {
  readonly kind: MailDeliveryTable['kind'];
  /** The inbox message or job the mail is about: at most one mail of each kind per source. */
  readonly sourceId: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly body: string;
  readonly attachments: readonly MailAttachment[];
}

/** A delivery as the API answers it. */
export interface MailDelivery {
  readonly id: string;
  readonly kind: MailDeliveryTable['kind'];
  readonly sourceId: string;
  readonly to: string[];
  readonly subject: string;
  readonly attachments: string[];
  readonly state: MailDeliveryState;
  readonly attempts: number;
  readonly createdAt: string;
  /** When the next try is due; null unless the delivery is queued. */
  readonly nextAttemptAt: string | null;
  readonly sentAt: string | null;
  /** Why the last try failed ('' when none did, or the last one succeeded). */
  readonly lastError: string;
}

export function mailDeliveryOf(row: MailDeliveryTable): MailDelivery {
  return {
    id: row.id,
    kind: row.kind,
    sourceId: row.source_id,
    to: JSON.parse(row.recipients) as string[],
    subject: row.subject,
    attachments: (JSON.parse(row.attachments) as MailAttachment[]).map((attachment) => attachment.filename),
    state: row.state,
    attempts: row.attempts,
    createdAt: row.created_at,
    nextAttemptAt: row.state === 'queued' ? row.next_attempt_at : null,
    sentAt: row.sent_at,
    lastError: row.last_error,
  };
}
