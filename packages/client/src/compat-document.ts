// FaxDocument with its FaxRecipients and FaxSender under the COM names (faxcomex.h IFaxDocument, IFaxRecipients,
// IFaxRecipient, IFaxSender; reference §2.9): a script fills one in and ConnectedSubmit queues a job per recipient,
// as a faxd broadcast, answering the job ids in recipient order.

import {
  type CoverPageRequest,
  FAX_COVERPAGE_TYPE_ENUM,
  FAX_PRIORITY_TYPE_ENUM,
  FAX_SCHEDULE_TYPE_ENUM,
  type FaxPriorityTypeEnum,
  nameOf,
  priorityName,
} from '@faxd/contract';
import { itemAt } from './collection-index.js';
import type { FaxServer } from './compat.js';
import type { SubmittedBroadcast } from './fax-broadcast.js';
import { FaxServer as SdkFaxServer } from './fax-server.js';
import type { BroadcastOptions } from './job-submission.js';

/** FAX_PRIORITY_TYPE_ENUM's members by their COM names, as a script ported from VBScript uses them. */
export const { fptLOW, fptNORMAL, fptHIGH } = FAX_PRIORITY_TYPE_ENUM;
/** FAX_SCHEDULE_TYPE_ENUM's members by their COM names. */
export const { fstNOW, fstSPECIFIC_TIME, fstDISCOUNT_PERIOD } = FAX_SCHEDULE_TYPE_ENUM;
/** FAX_COVERPAGE_TYPE_ENUM's members by their COM names. */
export const { fcptNONE, fcptLOCAL, fcptSERVER } = FAX_COVERPAGE_TYPE_ENUM;

/** IFaxRecipient: a number to dial and who it is for. */
export class FaxRecipient {
  FaxNumber: string;
  Name: string;

  constructor(faxNumber: string, name = '') {
    this.FaxNumber = faxNumber;
    this.Name = name;
  }
}

/** IFaxRecipients: the recipients of a FaxDocument, Item(i) for i in 1..Count. */
export class FaxRecipients implements Iterable<FaxRecipient> {
  readonly #recipients: FaxRecipient[] = [];

  get Count(): number {
    return this.#recipients.length;
  }

  Item(index: number): FaxRecipient {
    return itemAt(this.#recipients, index, 'recipient');
  }

  /** Adds a recipient at the end and returns it (its FaxNumber and Name may still be changed before submitting). */
  Add(faxNumber: string, name?: string): FaxRecipient {
    const recipient = new FaxRecipient(faxNumber, name);
    this.#recipients.push(recipient);
    return recipient;
  }

  Remove(index: number): void {
    itemAt(this.#recipients, index, 'recipient');
    this.#recipients.splice(index - 1, 1);
  }

  /** _NewEnum: `for (const recipient of doc.Recipients)`. */
  [Symbol.iterator](): Iterator<FaxRecipient> {
    return this.#recipients[Symbol.iterator]();
  }
}

/**
 * IFaxSender: the sender's profile. faxd sends Name (the job's sender name, shown in FaxStatus.SenderName, the page
 * header and the cover page), and Company, FaxNumber and OfficePhone (the voice number) for the cover page; the other
 * properties are kept for scripts that set them.
 */
export class FaxSender {
  BillingCode = '';
  City = '';
  Company = '';
  Country = '';
  Department = '';
  Email = '';
  FaxNumber = '';
  HomePhone = '';
  Name = '';
  OfficeLocation = '';
  OfficePhone = '';
  State = '';
  StreetAddress = '';
  Title = '';
  TSID = '';
  ZipCode = '';
}

/** The last part of a file path, by either separator (a script written on Windows says `C:\faxes\notice.pdf`). */
function fileName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/** A file's bytes; node:fs is loaded only for a Body given as a path, so that the SDK runs where there is none. */
async function readBody(path: string): Promise<Uint8Array> {
  const { readFile } = await import('node:fs/promises');
  return new Uint8Array(await readFile(path));
}

/**
 * IFaxDocument: Body, DocumentName, Sender, Recipients, Priority (fptLOW by default, as in COM), ScheduleType and
 * ScheduleTime, CoverPageType with CoverPage, Subject and Note, then ConnectedSubmit (or Submit). Every submission is a broadcast, even to one recipient, so that
 * SubmissionId always names it, as Windows gives every submission one.
 */
export class FaxDocument {
  /** The document to send: a file path (read when submitting) or its bytes. PDF, TIFF, PNG, JPEG or text. */
  Body: string | Uint8Array = '';
  /** The name shown for the job (FaxStatus.DocumentName); by default the Body file's name. */
  DocumentName = '';
  /** FAX_PRIORITY_TYPE_ENUM. */
  Priority: number = FAX_PRIORITY_TYPE_ENUM.fptLOW;
  /** FAX_SCHEDULE_TYPE_ENUM: fstNOW, fstSPECIFIC_TIME (at ScheduleTime) or fstDISCOUNT_PERIOD. */
  ScheduleType: number = FAX_SCHEDULE_TYPE_ENUM.fstNOW;
  /** When to send under fstSPECIFIC_TIME (an instant; COM documents it as UTC). */
  ScheduleTime: Date | null = null;
  /**
   * FAX_COVERPAGE_TYPE_ENUM: fcptNONE (the default: no cover page) or fcptSERVER (one of the server's templates, named
   * by CoverPage). faxd has no personal cover page files: fcptLOCAL is refused, as Windows refuses one when the server
   * allows only its own (AllowPersonalCoverPages false).
   */
  CoverPageType: number = FAX_COVERPAGE_TYPE_ENUM.fcptNONE;
  /** The server's template (a file name in its cover page folder, `.txt` optional); `""`: its default one. */
  CoverPage = '';
  /** The cover page's subject. */
  Subject = '';
  /** The cover page's note. */
  Note = '';
  readonly Sender = new FaxSender();
  readonly Recipients = new FaxRecipients();
  #submissionId = '';

  /** The broadcast id of the last successful submission (IFaxDocument2.SubmissionId); `""` before one. */
  get SubmissionId(): string {
    return this.#submissionId;
  }

  /**
   * Queues a job per recipient on a connected server and resolves with their ids, in recipient order. A document
   * with no Body or no recipient, or a Priority or schedule COM would refuse, throws before anything is sent.
   */
  async ConnectedSubmit(server: FaxServer): Promise<string[]> {
    const submission = await this.#submission();
    return this.#submitted(await server.server.submit(submission));
  }

  /** Connects to the faxd server at `url` (COM takes a machine name), submits, and disconnects. */
  async Submit(url: string): Promise<string[]> {
    const submission = await this.#submission();
    const server = await SdkFaxServer.connect(url);
    try {
      return this.#submitted(await server.submit(submission));
    } finally {
      server.disconnect();
    }
  }

  #submitted({ broadcastId, jobs }: SubmittedBroadcast): string[] {
    this.#submissionId = broadcastId;
    return jobs.map((job) => job.jobId);
  }

  async #submission(): Promise<BroadcastOptions> {
    if (this.Recipients.Count === 0) throw new TypeError('FaxDocument has no recipients: call Recipients.Add first');
    if (this.Body === '' || this.Body.length === 0) throw new TypeError('FaxDocument has no Body to send');
    if (nameOf(FAX_PRIORITY_TYPE_ENUM, this.Priority) === undefined) {
      throw new RangeError(`Priority ${this.Priority} is not a FAX_PRIORITY_TYPE_ENUM value`);
    }
    const content = typeof this.Body === 'string' ? await readBody(this.Body) : this.Body;
    const name = this.DocumentName || (typeof this.Body === 'string' ? fileName(this.Body) : 'document');
    return {
      recipients: [...this.Recipients].map(({ FaxNumber, Name }) =>
        Name === '' ? { number: FaxNumber } : { number: FaxNumber, name: Name },
      ),
      documents: [{ name, content }],
      senderName: this.Sender.Name || undefined,
      senderCompany: this.Sender.Company || undefined,
      senderFaxNumber: this.Sender.FaxNumber || undefined,
      senderVoiceNumber: this.Sender.OfficePhone || undefined,
      coverPage: this.#coverPage(),
      priority: priorityName(this.Priority as FaxPriorityTypeEnum),
      scheduledAt: this.#scheduledAt(),
    };
  }

  #coverPage(): CoverPageRequest | undefined {
    switch (this.CoverPageType) {
      case FAX_COVERPAGE_TYPE_ENUM.fcptNONE:
        return undefined;
      case FAX_COVERPAGE_TYPE_ENUM.fcptSERVER:
        return {
          template: this.CoverPage.replace(/\.txt$/i, '') || undefined,
          subject: this.Subject || undefined,
          note: this.Note || undefined,
        };
      case FAX_COVERPAGE_TYPE_ENUM.fcptLOCAL:
        throw new TypeError('faxd takes only its own cover pages: set CoverPageType to fcptSERVER, not fcptLOCAL');
      default:
        throw new RangeError(`CoverPageType ${this.CoverPageType} is not a FAX_COVERPAGE_TYPE_ENUM value`);
    }
  }

  #scheduledAt(): Date | 'discount' | undefined {
    switch (this.ScheduleType) {
      case FAX_SCHEDULE_TYPE_ENUM.fstNOW:
        return undefined;
      case FAX_SCHEDULE_TYPE_ENUM.fstDISCOUNT_PERIOD:
        return 'discount';
      case FAX_SCHEDULE_TYPE_ENUM.fstSPECIFIC_TIME:
        if (!(this.ScheduleTime instanceof Date) || Number.isNaN(this.ScheduleTime.getTime())) {
          throw new TypeError('ScheduleType is fstSPECIFIC_TIME but ScheduleTime is not a valid Date');
        }
        return this.ScheduleTime;
      default:
        throw new RangeError(`ScheduleType ${this.ScheduleType} is not a FAX_SCHEDULE_TYPE_ENUM value`);
    }
  }
}
