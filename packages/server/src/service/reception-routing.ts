// Routing a received fax (reference §4.3 "Inbound", fjsROUTING → fjsCOMPLETED): its TIFF Class F and PDF written to
// the inbox, copied to the line's folder, its inbox message recorded, its webhook and mail queued, then the job routed and its
// page files removed. The same steps whether the pages come from the call that just ended or, after a restart or a
// store that refused a write, from the page files the call stored; each step finds what an earlier try already did,
// so a fax is never left with files and no inbox message, nor a message without its files.

import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { FAX_JOB_EXTENDED_STATUS_ENUM } from '@faxd/contract';
import type { BilevelPage } from '@faxd/protocol';
import { type CodedTiffPage, codeTiffPage } from '@faxd/protocol/image/tiff/tiff-writer';
import type { LineConfig } from '../config/faxd-config.js';
import { encodeFaxPdf, encodeFaxTiff } from '../documents/fax-files.js';
import type { MailOutbox } from '../mail/mail-outbox.js';
import { receptionMail } from '../mail/reception-mail.js';
import type { JobRow } from '../store/job-rows.js';
import type { Archive } from './archive.js';
import { type DataFiles, faultCodeOf, writeFilesAtomic } from './data-files.js';
import { reportFaultToStderr } from './fault-report.js';
import type { JobBook } from './job-book.js';
import type { WebhookSender } from './webhook-sender.js';

export interface RoutingContext {
  readonly book: JobBook;
  readonly archive: Archive;
  readonly files: DataFiles;
  readonly webhooks: WebhookSender;
  readonly mail: MailOutbox;
}

/** A page as the inbox's TIFF records it: the pixels and the damage the receiver found (TIFF BadFaxLines etc.). */
export interface RoutedPage {
  readonly page: BilevelPage;
  readonly quality: {
    readonly badFaxLines: number;
    readonly cleanFaxData: 0 | 2;
    readonly consecutiveBadFaxLines: number;
  };
  /** The page coded T.6 already (as the call stored it), when it was. */
  readonly coded?: CodedTiffPage;
}

/** A page's damage as the inbox's TIFF records it (BadFaxLines, CleanFaxData, ConsecutiveBadFaxLines). */
export function routedQuality(damage: { badRows: number; consecutiveBadRows: number }): RoutedPage['quality'] {
  return {
    badFaxLines: damage.badRows,
    cleanFaxData: damage.badRows > 0 ? 2 : 0,
    consecutiveBadFaxLines: damage.consecutiveBadRows,
  };
}

export interface ReceivedFax {
  readonly pages: readonly RoutedPage[];
  readonly partial: boolean;
  /** Rows the receiver could not decode, over the whole fax (the inbox message's BadRows). */
  readonly badRows: number;
  /** When the fax is routed (epoch ms): the files' creation date, and the reception's end if the job has none. */
  readonly now: number;
}

/** Runs the writes of the fax's files; the live path tries them again for a while when the disk is full. */
export type FileWrites = (write: () => Promise<void>) => Promise<void>;

/**
 * Routes the fax of `row`, a job in fjsROUTING, on the line configured as `line` (undefined when the line is no longer
 * configured: the fax still reaches the inbox); `fax` is read only if no earlier try recorded the message (`firstTry`:
 * there was none). Files that cannot be written (`writeFiles` gave up) end the job failed, its page files kept; any
 * later failure (the store refusing the message or the job's end) is thrown, leaving the job in fjsROUTING with its
 * files and page files for a later try (UnrecordedEnds, or the next start) to finish.
 */
export async function routeReceivedFax(
  context: RoutingContext,
  line: LineConfig | undefined,
  row: JobRow,
  fax: () => ReceivedFax | Promise<ReceivedFax>,
  writeFiles: FileWrites = (write) => write(),
  firstTry = false,
): Promise<JobRow> {
  const { book, archive, files, webhooks, mail } = context;
  // The call that brought the fax in routes it first: only a later try can find a message an earlier one recorded.
  let message = firstTry ? undefined : await archive.inboxRow(row.id);
  if (!message) {
    const { pages: routed, partial, badRows, now: at } = await fax();
    const now = new Date(at);
    // Each page coded once for both files: the TIFF's MMR strip is the PDF's image as it is.
    const coded = routed.map(({ page, quality, coded }) => ({
      ...(coded ?? codeTiffPage(page, { compression: 'mmr' })),
      quality,
    }));
    const tiff = encodeFaxTiff(coded, { compression: 'mmr', dateTime: now });
    try {
      await writeFiles(async () => {
        // Both in one group: written side by side, their directory synced once.
        await writeFilesAtomic([
          { path: files.inboxFax(row.id, 'tif'), bytes: tiff },
          { path: files.inboxFax(row.id, 'pdf'), bytes: encodeFaxPdf(coded, { creationDate: now }) },
        ]);
        if (line?.storeFolder) {
          await mkdir(line.storeFolder, { recursive: true });
          await copyFile(files.inboxFax(row.id, 'tif'), join(line.storeFolder, `${row.id}.tif`));
        }
      });
    } catch (error) {
      // No inbox files without their message: what was written goes; the page files stay, the only copy.
      await removeInboxFiles(files, row.id);
      return endRoutingFailed(context, row, `storing the fax failed (${faultCodeOf(error)})`);
    }
    const ended = row.transmission_end ?? now.toISOString();
    const added = {
      id: row.id,
      job_id: row.id,
      device_id: row.device_id ?? line?.id ?? 0,
      tsid: row.tsid,
      csid: row.csid,
      caller_id: row.caller_id,
      routing_information: row.routing_information,
      pages: routed.length,
      size: tiff.length,
      received_at: ended,
      transmission_start: row.transmission_start ?? ended,
      transmission_end: ended,
      bad_rows: badRows,
      partial: partial ? 1 : 0,
    };
    await archive.addReceived(added);
    message = added;
  }
  if (line?.webhook) {
    const body = {
      event: 'incomingMessageAdded',
      message: { id: row.id, pages: message.pages, partial: message.partial === 1, tsid: row.tsid, deviceId: line.id },
    };
    await webhooks.enqueueOnce(row.id, line.webhook, body);
  }
  if (line?.email) await mail.enqueueOnce(receptionMail(line, line.email, message, files));
  const routed = await book.apply(
    row.id,
    { type: 'routed' },
    { size: message.size, pages: message.pages, message_id: row.id },
  );
  await archive.settle(routed);
  await removeReceivedPages(files, row.id);
  return routed;
}

/**
 * A routing job whose fax cannot be stored ends as Windows ends a routing job whose retries are spent: it stays in the
 * incoming queue in fjsRETRIES_EXCEEDED, saying why, until it is deleted.
 */
export async function endRoutingFailed(context: RoutingContext, row: JobRow, why: string): Promise<JobRow> {
  const reason = FAX_JOB_EXTENDED_STATUS_ENUM.fjesNONE;
  const ended = await context.book.apply(row.id, { type: 'retriesExceeded', reason }, { last_error: why });
  await context.archive.settle(ended);
  return ended;
}

async function removeInboxFiles(files: DataFiles, jobId: string): Promise<void> {
  for (const format of ['tif', 'pdf'] as const) {
    await rm(files.inboxFax(jobId, format), { force: true }).catch((error: unknown) =>
      reportFaultToStderr(`the unrecorded inbox file of reception ${jobId} was not removed`, error),
    );
  }
}

/**
 * The page files have served their turn once the fax is in the inbox (or nothing was received). Until then they are
 * the only copy of pages the sender was told arrived, so a reception whose fax cannot be written keeps them.
 */
export async function removeReceivedPages(files: DataFiles, jobId: string): Promise<void> {
  await rm(files.jobDirectory(jobId), { recursive: true, force: true }).catch((error: unknown) =>
    reportFaultToStderr(`the page files of reception ${jobId} were not removed`, error),
  );
}
