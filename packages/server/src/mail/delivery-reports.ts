// Delivery reports (issue 15 item 3, Windows' DeliveryReceipt by e-mail): an outbound job submitted with `notify` gets
// one mail when it ends — completed, with its pages, the remote CSID and a thumbnail of page 1; or failed (its
// retries spent), with the reason in words and the number of tries. The report is queued when the job's change is
// published, and again by a sweep at start for a job whose end came just before a stop; the outbox keeps one report
// per job, so the two never make two mails.

import {
  baseJobStatus,
  FAX_JOB_EXTENDED_STATUS_ENUM,
  FAX_JOB_STATUS_ENUM,
  type FaxServerEvent,
  type JobFailureReason,
} from '@faxd/contract';
import { readTiff } from '@faxd/protocol';
import { readJobFax } from '../service/broadcast-documents.js';
import type { DataFiles } from '../service/data-files.js';
import { type FaultReport, reportFaultToStderr } from '../service/fault-report.js';
import type { AnnouncedRow } from '../service/job-book.js';
import type { FaxdDb } from '../store/database.js';
import type { JobRow } from '../store/job-rows.js';
import type { MailAttachment, MailToSend } from './mail-message.js';
import type { MailOutbox } from './mail-outbox.js';
import { pageThumbnail } from './page-thumbnail.js';

const S = FAX_JOB_STATUS_ENUM;
const X = FAX_JOB_EXTENDED_STATUS_ENUM;

/** The job states a report is sent for: its end, whether every page went or its retries are spent. */
const REPORTED: readonly number[] = [S.fjsCOMPLETED, S.fjsRETRIES_EXCEEDED];

/** A job's failure as its submitter reads it. */
const FAILURE_WORDS: Readonly<Record<JobFailureReason, string>> = {
  [X.fjesNONE]: 'the fax could not be sent before its age limit, or faxd could not store it',
  [X.fjesDISCONNECTED]: 'the call was cut off before every page was confirmed',
  [X.fjesLINE_UNAVAILABLE]: 'no line was available to place the call',
  [X.fjesBUSY]: 'the number was busy',
  [X.fjesNO_ANSWER]: 'nobody answered, or no fax machine answered in time',
  [X.fjesBAD_ADDRESS]: 'the number does not exist or cannot be reached',
  [X.fjesNO_DIAL_TONE]: 'the line gave no dial tone',
  [X.fjesFATAL_ERROR]: 'the fax machines could not agree on how to send the fax',
  [X.fjesCALL_DELAYED]: 'the call was delayed by the network',
  [X.fjesCALL_BLACKLISTED]: 'the number is barred',
  [X.fjesNOT_FAX_CALL]: 'the number answered, but not as a fax machine',
  [X.fjesCALL_ABORTED]: 'the call was aborted',
};

export function failureInWords(reason: number): string {
  return FAILURE_WORDS[reason as JobFailureReason] ?? `the line reported status ${reason}`;
}

export class DeliveryReports {
  readonly #db: FaxdDb;
  readonly #files: DataFiles;
  readonly #outbox: MailOutbox;
  readonly #reportFault: FaultReport;
  /** The row of the job change being announced (JobBook.announcedRow), read from the store when not given. */
  readonly #announcedRow: AnnouncedRow;

  constructor(
    db: FaxdDb,
    files: DataFiles,
    outbox: MailOutbox,
    options: { reportFault?: FaultReport; announcedRow?: AnnouncedRow } = {},
  ) {
    this.#db = db;
    this.#files = files;
    this.#outbox = outbox;
    this.#reportFault = options.reportFault ?? reportFaultToStderr;
    this.#announcedRow = options.announcedRow ?? (() => undefined);
  }

  /** An event of the hub: a job that has just ended is reported. */
  onEvent(event: FaxServerEvent): void {
    if (event.event !== 'outgoingJobChanged' || !REPORTED.includes(baseJobStatus(event.status.status))) return;
    // Most jobs ask for no report: the row announced with the change says so without a read.
    const announced = this.#announcedRow(event.jobId);
    const reported = announced ? this.#report(announced) : this.#reportJob(event.jobId);
    reported.catch((error: unknown) =>
      this.#reportFault(`the delivery report of job ${event.jobId} was not queued (the next start tries again)`, error),
    );
  }

  /** At start: every ended job with `notify` that has no report yet (it ended just before a stop) gets one. */
  async sweep(): Promise<void> {
    const rows = await this.#db
      .selectFrom('jobs')
      .selectAll()
      .where('direction', '=', 'outgoing')
      .where('notify', 'is not', null)
      .where((j) =>
        j.not(
          j.exists(
            j
              .selectFrom('mail_deliveries')
              .select('id')
              .where('kind', '=', 'report')
              .whereRef('mail_deliveries.source_id', '=', 'jobs.id'),
          ),
        ),
      )
      .execute();
    for (const row of rows) if (REPORTED.includes(baseJobStatus(row.status))) await this.#report(row);
  }

  async #reportJob(jobId: string): Promise<void> {
    const row = await this.#db.selectFrom('jobs').selectAll().where('id', '=', jobId).executeTakeFirst();
    if (row?.notify) await this.#report(row);
  }

  async #report(row: JobRow): Promise<void> {
    if (!row.notify) return;
    const completed = baseJobStatus(row.status) === S.fjsCOMPLETED;
    await this.#outbox.enqueueOnce(completed ? await completedReport(row, this.#files) : failedReport(row));
  }
}

function reportMail(row: JobRow, subject: string, lines: string[], attachments: MailAttachment[]): MailToSend {
  const to = row.recipient_name ? `${row.recipient_name} (${row.recipient_number})` : row.recipient_number;
  const body = [
    ...lines,
    '',
    `Job:        ${row.id}`,
    `To:         ${to}`,
    `Document:   ${row.document_name || '(unnamed)'}`,
    `Submitted:  ${row.submission_time}`,
    '',
  ];
  return { kind: 'report', sourceId: row.id, to: [row.notify as string], subject, body: body.join('\n'), attachments };
}

async function completedReport(row: JobRow, files: DataFiles): Promise<MailToSend> {
  const attachments: MailAttachment[] = [];
  const fax = await readJobFax(files, row);
  const first = fax && readTiff(fax)[0];
  if (first) {
    const png = await pageThumbnail(first.page);
    attachments.push({
      filename: 'page-1.png',
      contentType: 'image/png',
      contentBase64: Buffer.from(png).toString('base64'),
    });
  }
  const lines = [
    `Your fax to ${row.recipient_number} was delivered: every page was confirmed by the receiving machine.`,
    '',
    `Pages:      ${row.pages}`,
    `Remote fax: ${row.csid || '(it sent no CSID)'}`,
    `Sent:       ${row.transmission_start ?? '?'} to ${row.transmission_end ?? '?'}`,
    `Tries:      ${row.retries + 1}`,
    ...(first ? ['', 'A picture of the first page is attached.'] : []),
  ];
  return reportMail(row, `Fax to ${row.recipient_number} delivered (${row.pages} pages)`, lines, attachments);
}

function failedReport(row: JobRow): MailToSend {
  const reason = failureInWords(row.extended_status);
  const lines = [
    `Your fax to ${row.recipient_number} could not be delivered: ${reason}.`,
    '',
    `Reason:     ${reason}${row.last_error ? ` (${row.last_error})` : ''}`,
    `Tries:      ${row.retries + 1}`,
    `Pages sent: ${row.confirmed_pages} of ${row.pages}`,
  ];
  return reportMail(row, `Fax to ${row.recipient_number} failed: ${reason}`, lines, []);
}
