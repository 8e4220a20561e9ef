// POST /v1/jobs: a submission checked, its documents rendered once to TIFF Class F (the originals kept beside it),
// and an outbound job queued in fjsPENDING (reference §2.6, FaxDocument.Submit). The steps every submission shares
// (documents, schedule, the job's row) serve broadcasts too (broadcast-submission.ts).

import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  FAX_PRIORITY_BY_NAME,
  FaxApiError,
  type FaxErrorCode,
  type SubmitJobRequest,
  type SubmitSingleRequest,
} from '@faxd/contract';
import type { PageShape } from '@faxd/protocol/image/page';
import { readTiffDocument } from '@faxd/protocol/image/tiff/tiff-reader';
import type { FaxdConfig } from '../config/faxd-config.js';
import { ConversionQueueFull, type ConversionThread } from '../documents/conversion-thread.js';
import { DocumentFailure, type FaxConversion } from '../documents/fax-conversion.js';
import { joinedFaxSize, joinFaxFiles } from '../documents/fax-files.js';
import type { CoverSheets } from '../render/cover-page.js';
import { DocumentError, type DocumentErrorReason } from '../render/document-error.js';
import { type DocumentLimits, describeLimit } from '../render/document-limits.js';
import { type JobRow, newJobRow } from '../store/job-rows.js';
import type { ClusterLine } from './cluster-node.js';
import { type CoverPageFields, planCoverPages } from './cover-pages.js';
import {
  type DataFiles,
  type FileBytes,
  faultCodeOf,
  isStorageFull,
  newId,
  writeFileAtomic,
  writeFilesAtomic,
} from './data-files.js';
import { nextDiscountStart } from './discount-window.js';
import { reportFaultToStderr } from './fault-report.js';
import type { JobBook } from './job-book.js';

const NUMBER = /^\+?[0-9][0-9 ().-]{0,40}$/;

export interface SubmissionContext {
  readonly config: FaxdConfig;
  readonly files: DataFiles;
  /** Where the documents are rendered and coded, off the server's event loop. */
  readonly conversions: ConversionThread;
  readonly now: Date;
  /**
   * The lines of every live node sharing the store (this node's among them), which a job may ask for by id; absent,
   * this node's configured lines.
   */
  readonly lines?: readonly ClusterLine[];
}

/** The API's answer to a document that cannot be faxed, by why not. */
const DOCUMENT_ERROR_CODES = {
  empty: 'FAX_ERR_DOCUMENT_TYPE_UNSUPPORTED',
  'unknown-format': 'FAX_ERR_DOCUMENT_TYPE_UNSUPPORTED',
  unreadable: 'FAX_ERR_DOCUMENT_UNREADABLE',
} as const satisfies Record<Exclude<DocumentErrorReason, 'too-large'>, FaxErrorCode>;

/** The API's answer to a document past one of the limits: 413, naming the limit and its configuration key. */
function tooLarge(name: string, cause: DocumentError, limits: DocumentLimits): FaxApiError {
  const { limit } = cause;
  if (limit === undefined) return FaxApiError.of('FAX_ERR_DOCUMENT_TOO_LARGE', { name, limit: cause.message });
  return FaxApiError.of(
    'FAX_ERR_DOCUMENT_TOO_LARGE',
    { name, limit: `${describeLimit(limit, limits)} (limits.${limit})` },
    { limit, value: limits[limit], reason: cause.message },
  );
}

/**
 * The API's answer to a document whose conversion failed: every failure of one document's conversion is the
 * document's, a 4xx. A RangeError is a page it describes that cannot be allocated: unreadable. Any other error is
 * one no decoder typed, whose message may say more about faxd than about the document (a path, say): it is reported
 * on stderr and the user told only that the document could not be converted.
 */
function documentApiError(name: string, cause: Error, limits: DocumentLimits): FaxApiError {
  if (cause instanceof RangeError)
    return FaxApiError.of('FAX_ERR_DOCUMENT_UNREADABLE', { name, reason: cause.message });
  if (!(cause instanceof DocumentError)) {
    reportFaultToStderr(`document ${name} was not converted`, cause);
    return FaxApiError.of('FAX_ERR_DOCUMENT_UNREADABLE', { name, reason: 'it could not be converted to fax pages' });
  }
  if (cause.reason === 'too-large') return tooLarge(name, cause, limits);
  return FaxApiError.of(DOCUMENT_ERROR_CODES[cause.reason], { name, reason: cause.message });
}

function documentNames(documents: SubmitJobRequest['documents']): string {
  return documents.map((d) => d.name).join(', ');
}

export function badRequest(reason: string, field: string): FaxApiError {
  return FaxApiError.of('FAX_ERR_BAD_REQUEST', { reason }, { field });
}

function scheduledTime(at: string | undefined, context: SubmissionContext): string {
  if (at === undefined) return context.now.toISOString();
  if (at === 'discount') return nextDiscountStart(context.now, context.config.outboundQueue).toISOString();
  const time = Date.parse(at);
  if (!/^\d{4}-\d\d-\d\dT/.test(at) || Number.isNaN(time)) {
    throw badRequest(`scheduledAt "${at}" is not an ISO 8601 time or "discount"`, 'scheduledAt');
  }
  return new Date(Math.max(time, context.now.getTime())).toISOString();
}

function checkLine(line: number | undefined, lines: readonly ClusterLine[]): void {
  if (line === undefined) {
    if (!lines.some((l) => l.send)) throw badRequest('no line is enabled for sending', 'line');
    return;
  }
  const found = lines.find((l) => l.id === line);
  if (!found) throw FaxApiError.of('FAX_ERR_PORT_NOT_FOUND', { deviceId: line });
  if (!found.send) throw FaxApiError.of('FAX_ERR_PORT_CANNOT_SEND', { deviceId: line });
}

/** Refuses `number` (422) unless it is a fax number that can be dialed; `field` names where it was in the request. */
export function checkNumber(number: string, field: string): void {
  if (!NUMBER.test(number)) throw FaxApiError.of('FAX_ERR_BAD_NUMBER', { number }, { field });
}

/**
 * Renders and codes `documents` as a job's fax (what a submission stores, and what a preview shows), and `covers`
 * after them; each refusal is the FaxApiError a submission answers.
 */
export async function renderDocuments(
  documents: SubmitJobRequest['documents'],
  context: Omit<SubmissionContext, 'files'>,
  covers?: CoverSheets,
): Promise<{ conversion: FaxConversion; originals: Uint8Array[] }> {
  const originals = documents.map((document) => new Uint8Array(Buffer.from(document.contentBase64, 'base64')));
  let conversion: FaxConversion;
  try {
    conversion = await context.conversions.convert(originals, {
      paper: 'a4',
      compression: 'mmr',
      dateTime: context.now,
      limits: context.config.limits,
      covers,
    });
  } catch (error) {
    const { limits } = context.config;
    if (error instanceof DocumentFailure) throw documentApiError(documents[error.index].name, error.cause, limits);
    // A failure of the whole conversion rather than of one document: it ran out of time.
    if (error instanceof DocumentError) throw documentApiError(documentNames(documents), error, limits);
    if (error instanceof ConversionQueueFull) {
      const seconds = error.retryAfterSeconds;
      throw FaxApiError.of('FAX_ERR_SERVER_BUSY', { seconds }, { retryAfterSeconds: seconds });
    }
    throw error;
  }
  // Every page of one fax goes at one resolution (one DCS per call): the first page's.
  const [first] = conversion.pages;
  if (conversion.pages.some((page) => page.yResolution !== first.yResolution || page.width !== first.width)) {
    throw badRequest('the documents render to pages of different resolutions or widths', 'documents');
  }
  return { conversion, originals };
}

/**
 * The API's answer to a submission whose files or row could not be stored: 507 when the disk or the database is full
 * (the client may try again once there is room), 500 otherwise; the message names the error's code but no path, which
 * would tell the client where faxd keeps its data.
 */
export function storageApiError(what: string, error: unknown): FaxApiError {
  const reason = `${what} (${faultCodeOf(error)})`;
  return FaxApiError.of(isStorageFull(error) ? 'FAX_ERR_INSUFFICIENT_STORAGE' : 'FAX_ERR_INTERNAL', { reason });
}

/** Removes the directory of a submission that was refused after its files were written. */
export async function removeSubmittedFiles(directory: string, what: string): Promise<void> {
  await rm(directory, { recursive: true, force: true }).catch((cleanup: unknown) =>
    reportFaultToStderr(`the files of ${what} were not removed`, cleanup),
  );
}

/**
 * Refuses a submission (507) while the data directory is short of space, before anything is rendered or written, so
 * that what faxd has accepted (receptions, job updates, events) still finds room. Free space that cannot be read is
 * no reason to refuse: the writes say whether there is room.
 */
async function checkFreeSpace({ files, config }: SubmissionContext): Promise<void> {
  const { minFreeMegabytes } = config.storage;
  if (minFreeMegabytes === 0) return;
  let free: number;
  try {
    free = await files.freeBytes();
  } catch (error) {
    reportFaultToStderr('the free space under the data directory could not be read', error);
    return;
  }
  if (free >= minFreeMegabytes * 2 ** 20) return;
  const reason = `${Math.floor(free / 2 ** 20)} MB free under the data directory, below storage.minFreeMegabytes (${minFreeMegabytes})`;
  throw FaxApiError.of('FAX_ERR_INSUFFICIENT_STORAGE', { reason });
}

/** Where a submission's files go: a job's own directory, or a broadcast's, shared by its jobs. */
export interface SubmissionFiles {
  readonly directory: string;
  /** The documents rendered to TIFF Class F. */
  readonly fax: string;
}

/** Writes the originals and the fax; when a write fails, the directory goes with whatever was written. */
async function storeFiles(
  where: SubmissionFiles,
  originals: readonly Uint8Array[],
  fax: Uint8Array,
  request: SubmitJobRequest,
): Promise<void> {
  try {
    const named: FileBytes[] = originals.map((bytes, i) => {
      // A name kept short enough for any file system: a long one must not fail the submission.
      const name = (request.documents[i]?.name ?? 'document').replace(/[^\w.-]+/g, '_').slice(-100);
      return { path: join(where.directory, `original-${i + 1}-${name}`), bytes };
    });
    await writeFilesAtomic([...named, { path: where.fax, bytes: fax }]);
  } catch (error) {
    reportFaultToStderr(`the files of a submission were not stored in ${where.directory}`, error);
    await removeSubmittedFiles(where.directory, 'a submission not stored');
    throw storageApiError("the job's files could not be stored", error);
  }
}

/** Records a submission's job row (fjsPENDING); a row the store refuses takes the job's files with it. */
export async function recordSubmission(row: JobRow, book: JobBook, files: DataFiles): Promise<void> {
  try {
    await book.create(row);
  } catch (error) {
    reportFaultToStderr(`submitted job ${row.id} was not recorded`, error);
    await removeSubmittedFiles(files.jobDirectory(row.id), `refused job ${row.id}`);
    throw storageApiError('the job could not be recorded', error);
  }
}

/** What every job of one submission shares: its fax, rendered and stored once, and when it is due. */
export interface PreparedDocuments {
  readonly pages: number;
  readonly size: number;
  readonly documentName: string;
  readonly scheduled: string;
  /** The cover page drawn for each sheet asked for, in order; not yet stored. */
  readonly covers: readonly Uint8Array[];
}

/**
 * Checks what every submission carries (documents, line, schedule, cover page, room on disk), renders the documents
 * once and stores them, with the fax, in `where`; draws the cover page asked for, for each of `recipients`.
 */
export async function prepareDocuments(
  request: SubmitJobRequest,
  recipients: readonly { readonly number: string; readonly name: string }[],
  where: SubmissionFiles,
  context: SubmissionContext,
): Promise<PreparedDocuments> {
  if (request.documents.length === 0) throw FaxApiError.of('FAX_ERR_DOCUMENT_MISSING', {});
  checkLine(request.line, context.lines ?? context.config.lines);
  const scheduled = scheduledTime(request.scheduledAt, context);
  const covers = await planCoverPages(request, recipients, context);
  await checkFreeSpace(context);
  const { conversion, originals } = await renderDocuments(request.documents, context, covers);
  const { fax } = conversion;
  await storeFiles(where, originals, fax, request);
  return {
    pages: conversion.pages.length,
    size: fax.length,
    documentName: documentNames(request.documents),
    scheduled,
    covers: conversion.covers ?? [],
  };
}

/** Who one job of a submission is for, and which job it is. */
export interface SubmittedJob {
  readonly id: string;
  readonly number: string;
  readonly name: string;
  readonly broadcast_id?: string;
  readonly broadcast_index?: number;
  /** The job's own cover page (one page of TIFF Class F), sent ahead of the submission's fax. */
  readonly cover?: Uint8Array;
}

/**
 * Writes each job's cover page into the job's directory (files.jobCover). When a write fails, the directories of
 * `jobs` and `shared` (the submission's files) go: nothing is recorded yet.
 */
export async function storeCovers(jobs: readonly SubmittedJob[], shared: string, files: DataFiles): Promise<void> {
  try {
    for (const { id, cover } of jobs) if (cover) await writeFileAtomic(files.jobCover(id), cover);
  } catch (error) {
    reportFaultToStderr('the cover pages of a submission were not stored', error);
    for (const { id } of jobs) await removeSubmittedFiles(files.jobDirectory(id), 'a submission not stored');
    await removeSubmittedFiles(shared, 'a submission not stored');
    throw storageApiError("the job's cover page could not be stored", error);
  }
}

/** The row, in fjsPENDING, of one job of a submission whose documents are `prepared`. */
export function submittedJobRow(
  request: SubmitJobRequest,
  prepared: PreparedDocuments,
  job: SubmittedJob,
  context: SubmissionContext,
): JobRow {
  const queue = context.config.outboundQueue;
  const ageLimitMs = queue.ageLimitDays * 86400_000;
  const { number, name, cover, ...identity } = job;
  return newJobRow({
    ...identity,
    direction: 'outgoing',
    submission_time: context.now.toISOString(),
    // FaxJobStatus counts the cover page among the pages, as Windows does, and its bytes in the fax's size.
    pages: prepared.pages + (cover ? 1 : 0),
    size: cover ? joinedFaxSize(cover.length, prepared.size) : prepared.size,
    recipient_number: number,
    recipient_name: name,
    sender_name: request.senderName ?? '',
    notify: request.notify ?? null,
    document_name: prepared.documentName,
    priority: FAX_PRIORITY_BY_NAME[request.priority ?? 'normal'],
    scheduled_time: prepared.scheduled,
    requested_line: request.line ?? null,
    max_retries: request.retries ?? queue.retries,
    retry_delay_seconds: request.retryDelaySeconds ?? queue.retryDelaySeconds,
    expires_at: ageLimitMs > 0 ? new Date(context.now.getTime() + ageLimitMs).toISOString() : null,
  });
}

/** Checks, renders and stores a submission to one number; the job row to create, in fjsPENDING. */
export async function prepareSubmission(request: SubmitSingleRequest, context: SubmissionContext): Promise<JobRow> {
  checkNumber(request.to, 'to');
  const id = newId();
  const where = { directory: context.files.jobDirectory(id), fax: context.files.jobFax(id) };
  const recipient = { number: request.to, name: request.recipientName ?? '' };
  const prepared = await prepareDocuments(request, [recipient], where, context);
  const job = { id, ...recipient, cover: prepared.covers[0] };
  await storeCovers([job], where.directory, context.files);
  return submittedJobRow(request, prepared, job, context);
}

/** What a preview's cover page takes: the submission's fields, and who it would be for. */
export type PreviewCover = CoverPageFields & { readonly to?: string; readonly recipientName?: string };

/**
 * The fax a submission of `documents` would send (POST /v1/previews), rendered as a submission renders it, with the
 * cover page `cover` asks for ahead of the documents; nothing is stored.
 */
export async function renderPreview(
  documents: SubmitJobRequest['documents'],
  cover: PreviewCover,
  context: Omit<SubmissionContext, 'files'>,
): Promise<FaxConversion> {
  const recipient = { number: cover.to ?? '', name: cover.recipientName ?? '' };
  const sheets = await planCoverPages(cover, [recipient], context);
  const { conversion } = await renderDocuments(documents, context, sheets);
  const [page] = conversion.covers ?? [];
  if (!page) return conversion;
  const fax = joinFaxFiles([page, conversion.fax], context.now);
  const shape = ({ width, height, xResolution, yResolution }: PageShape) => ({
    width,
    height,
    xResolution,
    yResolution,
  });
  return { pages: readTiffDocument(fax).pages.map(shape), fax };
}
