// A submission's cover pages (issue 15; FaxDocument.CoverPage, Subject, Note and FaxSender, reference §2.9): the
// template it names, read from the configured folder or built in; a sheet of fields per job, the sender's from the
// submission or else the configuration's defaults; each checked to fit one page before anything is rendered. The
// conversion thread draws them after the documents (fax-conversion.ts), when the page count is known.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FaxApiError, type SubmitJobRequest } from '@faxd/contract';
import { faxGeometry } from '@faxd/protocol/image/geometry';
import type { FaxdConfig } from '../config/faxd-config.js';
import {
  CoverPageTooLong,
  type CoverSheet,
  type CoverSheets,
  DEFAULT_COVER_TEMPLATE,
  layoutCoverPage,
} from '../render/cover-page.js';
import { faultCodeOf } from './data-files.js';
import { reportFaultToStderr } from './fault-report.js';

/** The name that means the folder's `default.txt` when there is one, else the built-in template. */
const DEFAULT_TEMPLATE = 'default';
/** A template's name: a file name in the folder without its `.txt`, never a path. */
const TEMPLATE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function notFound(template: string): FaxApiError {
  return FaxApiError.of('FAX_ERR_COVER_PAGE_NOT_FOUND', { template }, { field: 'coverPage.template', template });
}

/** The text of template `name` (absent: the default); FAX_ERR_COVER_PAGE_NOT_FOUND when there is none by that name. */
export async function loadCoverTemplate(name: string | undefined, config: FaxdConfig): Promise<string> {
  const wanted = name ?? DEFAULT_TEMPLATE;
  // The API's schema holds the name to this already; the mail gateway and the SDK's callers reach here too.
  if (!TEMPLATE_NAME.test(wanted)) throw notFound(wanted);
  const { folder } = config.coverPages;
  if (folder !== null) {
    try {
      return await readFile(join(folder, `${wanted}.txt`), 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'EISDIR' && code !== 'ENOTDIR') {
        reportFaultToStderr(`cover page template ${wanted} was not read from ${folder}`, error);
        const reason = `the cover page template could not be read (${faultCodeOf(error)})`;
        throw FaxApiError.of('FAX_ERR_INTERNAL', { reason });
      }
    }
  }
  if (wanted === DEFAULT_TEMPLATE) return DEFAULT_COVER_TEMPLATE;
  throw notFound(wanted);
}

/** Who one cover page is for. */
export interface CoverRecipient {
  readonly number: string;
  readonly name: string;
}

/** What a cover page takes from a submission (or a preview of one). */
export type CoverPageFields = Pick<
  SubmitJobRequest,
  'senderName' | 'senderCompany' | 'senderFaxNumber' | 'senderVoiceNumber' | 'coverPage'
>;

/** The fields of the cover page for `recipient`; the date and time, in UTC as on the header line, are `now`'s. */
export function coverSheet(request: CoverPageFields, recipient: CoverRecipient, config: FaxdConfig, now: Date) {
  const sender = config.coverPages.sender;
  const iso = now.toISOString();
  return {
    senderName: request.senderName ?? sender.name,
    senderCompany: request.senderCompany ?? sender.company,
    senderFaxNumber: request.senderFaxNumber ?? sender.faxNumber,
    senderVoiceNumber: request.senderVoiceNumber ?? sender.voiceNumber,
    recipientName: recipient.name,
    recipientNumber: recipient.number,
    subject: request.coverPage?.subject ?? '',
    note: request.coverPage?.note ?? '',
    date: iso.slice(0, 10),
    time: `${iso.slice(11, 16)} UTC`,
  } satisfies CoverSheet;
}

/**
 * The cover pages `request` asks for, a sheet per recipient in order; undefined when it asks for none. Each sheet is
 * laid out on the narrowest page faxd sends (A4 width at 204 dpi) with the longest page count the limits allow, so a
 * cover that passes here fits the page the documents give it; one that does not is refused (400, field `coverPage`).
 */
export async function planCoverPages(
  request: CoverPageFields,
  recipients: readonly CoverRecipient[],
  context: { readonly config: FaxdConfig; readonly now: Date },
): Promise<CoverSheets | undefined> {
  if (request.coverPage === undefined) return undefined;
  const { config, now } = context;
  const template = await loadCoverTemplate(request.coverPage.template, config);
  const sheets = recipients.map((recipient) => coverSheet(request, recipient, config, now));
  const longest = String(config.limits.pagesPerJob + 1);
  const narrowest = faxGeometry('a4', 'fine');
  for (const sheet of sheets) {
    try {
      layoutCoverPage(template, { ...sheet, pages: longest }, narrowest);
    } catch (error) {
      if (!(error instanceof CoverPageTooLong)) throw error;
      const reason = `the cover page does not fit on one page: ${error.message}; shorten the note or the template`;
      throw FaxApiError.of('FAX_ERR_BAD_REQUEST', { reason }, { field: 'coverPage' });
    }
  }
  return { template, sheets };
}
