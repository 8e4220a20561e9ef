// Fax pages to the files faxd stores and hands out: TIFF Class F (RFC 2306) and PDF with the G4 data embedded as is.
import { type Compression, encodePage } from '@faxd/protocol/image/codec';
import type { BilevelPage } from '@faxd/protocol/image/page';
import { writeFaxPdf } from '@faxd/protocol/image/pdf/fax-pdf-writer';
import { type CodedTiffPage, type TiffWritePage, writeTiffClassF } from '@faxd/protocol/image/tiff/tiff-writer';

const SOFTWARE = 'faxd';

function twoDigits(n: number): string {
  return String(n).padStart(2, '0');
}

/** TIFF DateTime, "YYYY:MM:DD HH:MM:SS" (TIFF 6.0 §8), in UTC. */
function tiffDateTime(date: Date): string {
  const day = `${date.getUTCFullYear()}:${twoDigits(date.getUTCMonth() + 1)}:${twoDigits(date.getUTCDate())}`;
  return `${day} ${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())}:${twoDigits(date.getUTCSeconds())}`;
}

/** PDF date, "D:YYYYMMDDHHmmSSZ" (ISO 32000-1 §7.9.4), in UTC. */
function pdfDate(date: Date): string {
  return `D:${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}

export function encodeFaxTiff(
  pages: readonly (BilevelPage | TiffWritePage | CodedTiffPage)[],
  options: { compression: Compression; dateTime: Date },
): Uint8Array {
  return writeTiffClassF(pages, {
    compression: options.compression,
    software: SOFTWARE,
    dateTime: tiffDateTime(options.dateTime),
  });
}

export function encodeFaxPdf(
  pages: readonly BilevelPage[],
  options: { creationDate: Date; title?: string },
): Uint8Array {
  const pdfPages = pages.map((page) => ({ ...page, mmrData: encodePage(page, { compression: 'mmr' }) }));
  return writeFaxPdf(pdfPages, {
    producer: SOFTWARE,
    creationDate: pdfDate(options.creationDate),
    title: options.title,
  });
}
