// Fax pages to the files faxd stores and hands out: TIFF Class F (RFC 2306) and PDF with the G4 data embedded as is.
import { type Compression, encodePage } from '@faxd/protocol/image/codec';
import type { BilevelPage } from '@faxd/protocol/image/page';
import { writeFaxPdf } from '@faxd/protocol/image/pdf/fax-pdf-writer';
import { readTiffDocument, readTiffStrips } from '@faxd/protocol/image/tiff/tiff-reader';
import {
  type CodedTiffPage,
  TiffClassFWriter,
  type TiffWriteOptions,
  type TiffWritePage,
  writeTiffClassF,
} from '@faxd/protocol/image/tiff/tiff-writer';

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
  return writeTiffClassF(pages, faxTiffOptions(options));
}

/** A Class F file written page by page as encodeFaxTiff writes it whole, for a file that grows as pages are coded. */
export function faxTiffWriter(options: { compression: Compression; dateTime: Date }): TiffClassFWriter {
  return new TiffClassFWriter(faxTiffOptions(options));
}

function faxTiffOptions(options: { compression: Compression; dateTime: Date }): TiffWriteOptions {
  return { compression: options.compression, software: SOFTWARE, dateTime: tiffDateTime(options.dateTime) };
}

/** A PDF of the pages, each coded T.6 for it unless it comes coded so already (a TIFF's MMR strip is a PDF's image). */
export function encodeFaxPdf(
  pages: readonly (BilevelPage | CodedTiffPage)[],
  options: { creationDate: Date; title?: string },
): Uint8Array {
  const pdfPages = pages.map((page) => {
    if (!('strip' in page)) return { ...page, mmrData: encodePage(page, { compression: 'mmr' }) };
    if (page.compression !== 'mmr') throw new RangeError(`a page coded ${page.compression} is not a PDF's T.6 image`);
    return { ...page.shape, mmrData: page.strip };
  });
  return writeFaxPdf(pdfPages, {
    producer: SOFTWARE,
    creationDate: pdfDate(options.creationDate),
    title: options.title,
  });
}

/** The pages of a fax file faxd wrote (one coded strip a page), ready to be written again without decoding them. */
function codedPages(file: Uint8Array): CodedTiffPage[] {
  const document = readTiffDocument(file);
  return document.pages.map((info, index) => {
    const strips = readTiffStrips(document.data, info);
    const [strip] = strips;
    if (strips.length !== 1 || !strip || (info.coding !== 'mh' && info.coding !== 'mr' && info.coding !== 'mmr')) {
      throw new RangeError(`page ${index + 1} is not a one-strip T.4/T.6 page as faxd writes them`);
    }
    const { width, height, xResolution, yResolution } = info;
    return { shape: { width, height, xResolution, yResolution }, strip, compression: info.coding };
  });
}

/** The fax files' pages in one file, in order (a job's cover page and its documents), their codes copied as they are. */
export function joinFaxFiles(files: readonly Uint8Array[], dateTime: Date): Uint8Array {
  const pages = files.flatMap(codedPages);
  const [first] = pages;
  if (!first) throw new RangeError('there are no pages to join');
  return encodeFaxTiff(pages, { compression: first.compression as Compression, dateTime });
}

/**
 * The size joinFaxFiles gives a one-page cover file of `coverBytes` ahead of a file of `bodyBytes`, both written by
 * encodeFaxTiff at one time, without joining them: the writer puts each page's directory and strip together, on a
 * word boundary, so the joined file is the cover's page (padded to a word) and the body's pages under one 8-byte header.
 */
export function joinedFaxSize(coverBytes: number, bodyBytes: number): number {
  return coverBytes + (coverBytes % 2) + bodyBytes - 8;
}
