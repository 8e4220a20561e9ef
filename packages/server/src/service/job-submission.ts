// POST /v1/jobs: a submission checked, its documents rendered once to TIFF Class F (the originals kept beside it),
// and an outbound job queued in fjsPENDING (reference §2.6, FaxDocument.Submit).

import { FAX_PRIORITY_BY_NAME, FaxApiError, type FaxErrorCode, type SubmitJobRequest } from '@faxd/contract';
import type { FaxdConfig } from '../config/faxd-config.js';
import type { ConversionThread } from '../documents/conversion-thread.js';
import { DocumentFailure, type FaxConversion } from '../documents/fax-conversion.js';
import { DocumentError, type DocumentErrorReason } from '../render/document-error.js';
import { type JobRow, newJobRow } from '../store/job-rows.js';
import { type DataFiles, newId, writeFileAtomic } from './data-files.js';
import { nextDiscountStart } from './discount-window.js';

const NUMBER = /^\+?[0-9][0-9 ().-]{0,40}$/;

export interface SubmissionContext {
  readonly config: FaxdConfig;
  readonly files: DataFiles;
  /** Where the documents are rendered and coded, off the server's event loop. */
  readonly conversions: ConversionThread;
  readonly now: Date;
}

/** The API's answer to a document that cannot be faxed, by why not. */
const DOCUMENT_ERROR_CODES = {
  empty: 'FAX_ERR_DOCUMENT_TYPE_UNSUPPORTED',
  'unknown-format': 'FAX_ERR_DOCUMENT_TYPE_UNSUPPORTED',
  unreadable: 'FAX_ERR_DOCUMENT_UNREADABLE',
} as const satisfies Record<DocumentErrorReason, FaxErrorCode>;

function badRequest(reason: string, field: string): FaxApiError {
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

function checkLine(line: number | undefined, config: FaxdConfig): void {
  if (line === undefined) {
    if (!config.lines.some((l) => l.send)) throw badRequest('no line is enabled for sending', 'line');
    return;
  }
  const found = config.lines.find((l) => l.id === line);
  if (!found) throw FaxApiError.of('FAX_ERR_PORT_NOT_FOUND', { deviceId: line });
  if (!found.send) throw FaxApiError.of('FAX_ERR_PORT_CANNOT_SEND', { deviceId: line });
}

async function renderDocuments(
  request: SubmitJobRequest,
  context: SubmissionContext,
): Promise<{ conversion: FaxConversion; originals: Uint8Array[] }> {
  const originals = request.documents.map((document) => new Uint8Array(Buffer.from(document.contentBase64, 'base64')));
  let conversion: FaxConversion;
  try {
    conversion = await context.conversions.convert(originals, {
      paper: 'a4',
      compression: 'mmr',
      dateTime: context.now,
    });
  } catch (error) {
    if (!(error instanceof DocumentFailure)) throw error;
    const { cause } = error;
    if (!(cause instanceof DocumentError) && !(cause instanceof RangeError)) throw cause;
    const { name } = request.documents[error.index];
    // A RangeError is a page the document describes that cannot be drawn (too large to allocate): unreadable.
    const code = DOCUMENT_ERROR_CODES[cause instanceof DocumentError ? cause.reason : 'unreadable'];
    throw FaxApiError.of(code, { name, reason: cause.message });
  }
  // Every page of one fax goes at one resolution (one DCS per call): the first page's.
  const [first] = conversion.pages;
  if (conversion.pages.some((page) => page.yResolution !== first.yResolution || page.width !== first.width)) {
    throw badRequest('the documents render to pages of different resolutions or widths', 'documents');
  }
  return { conversion, originals };
}

/** Checks, renders and stores a submission; the job row to create, in fjsPENDING. */
export async function prepareSubmission(request: SubmitJobRequest, context: SubmissionContext): Promise<JobRow> {
  if (!NUMBER.test(request.to)) throw FaxApiError.of('FAX_ERR_BAD_NUMBER', { number: request.to });
  if (request.documents.length === 0) throw FaxApiError.of('FAX_ERR_DOCUMENT_MISSING', {});
  checkLine(request.line, context.config);
  const scheduled = scheduledTime(request.scheduledAt, context);
  const { conversion, originals } = await renderDocuments(request, context);
  const { fax } = conversion;
  const id = newId();
  for (const [i, original] of originals.entries()) {
    const name = (request.documents[i]?.name ?? 'document').replace(/[^\w.-]+/g, '_');
    await writeFileAtomic(`${context.files.jobDirectory(id)}/original-${i + 1}-${name}`, original);
  }
  await writeFileAtomic(context.files.jobFax(id), fax);
  const queue = context.config.outboundQueue;
  const ageLimitMs = queue.ageLimitDays * 86400_000;
  return newJobRow({
    id,
    direction: 'outgoing',
    submission_time: context.now.toISOString(),
    pages: conversion.pages.length,
    size: fax.length,
    recipient_number: request.to,
    recipient_name: request.recipientName ?? '',
    sender_name: request.senderName ?? '',
    document_name: request.documents.map((d) => d.name).join(', '),
    priority: FAX_PRIORITY_BY_NAME[request.priority ?? 'normal'],
    scheduled_time: scheduled,
    requested_line: request.line ?? null,
    max_retries: request.retries ?? queue.retries,
    retry_delay_seconds: request.retryDelaySeconds ?? queue.retryDelaySeconds,
    expires_at: ageLimitMs > 0 ? new Date(context.now.getTime() + ageLimitMs).toISOString() : null,
  });
}
