// Benchmark driver: transcodes a bilevel TIFF with faxd's reader and Class F writer, the work `tiffcp -c` does.
import { closeSync, openSync, writeSync } from 'node:fs';
// The image modules by their own subpaths, as `fax convert` loads them: the package index would load the SIP, T.30
// and modem stacks too, start-up that tiffcp does not pay and faxd's converter does not either.
import { decodeTiffPage } from '@faxd/protocol/image/tiff/tiff-reader';
import { readTiffSourceDocument } from '@faxd/protocol/image/tiff/tiff-source';
import { codeTiffPage, TiffClassFWriter } from '@faxd/protocol/image/tiff/tiff-writer';
// The input read as tiffcp reads it: directories and strips by positioned reads into one buffer reused for every
// strip, rather than the whole file (a quarter of a gigabyte uncompressed) into fresh memory first.
import { openFileSource } from '@faxd/server/file-source';

const [input, output, compression] = process.argv.slice(2);
if (!input || !output || !['mh', 'mr', 'mmr', 'none'].includes(compression)) {
  console.error('usage: node bench/transcode-tiff.mjs IN.tif OUT mh|mr|mmr|none');
  process.exit(2);
}

const document = readTiffSourceDocument(openFileSource(input));
const file = openSync(output, 'w');
if (compression === 'none') {
  // Decoding: the packed pages go out as they are, the same bytes `tiffcp -c none` writes, so the figure measures
  // our decoder rather than assembling one large in-memory TIFF. Like tiffcp, which decodes a directory into one
  // buffer, writes it and frees it before the next, each page is written before the next is decoded: holding every
  // decoded page at once (a quarter of a gigabyte here) would time fresh memory that tiffcp never asks for.
  for (const info of document.pages) writeSync(file, decodeTiffPage(document.source, info).page.data);
} else {
  // Each page is coded as soon as it is read and written at once, as `fax convert` and tiffcp do.
  const writer = new TiffClassFWriter({ compression }, document.pages.length);
  for (const info of document.pages) {
    const coded = codeTiffPage(decodeTiffPage(document.source, info).page, { compression });
    for (const part of writer.addPage(coded)) writeSync(file, part);
  }
}
closeSync(file);
