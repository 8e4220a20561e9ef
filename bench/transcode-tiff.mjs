// Benchmark driver: transcodes a bilevel TIFF with faxd's reader and Class F writer, the work `tiffcp -c` does.
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
// The image modules by their own subpaths, as `fax convert` loads them: the package index would load the SIP, T.30
// and modem stacks too, start-up that tiffcp does not pay and faxd's converter does not either.
import { decodeTiffPage, readTiffDocument } from '@faxd/protocol/image/tiff/tiff-reader';
import { codeTiffPage, writeTiffClassF } from '@faxd/protocol/image/tiff/tiff-writer';

const [input, output, compression] = process.argv.slice(2);
if (!input || !output || !['mh', 'mr', 'mmr', 'none'].includes(compression)) {
  console.error('usage: node bench/transcode-tiff.mjs IN.tif OUT mh|mr|mmr|none');
  process.exit(2);
}
if (compression === 'none') {
  // Decoding: the packed pages go out as they are, the same bytes `tiffcp -c none` writes, so the figure measures
  // our decoder rather than assembling one large in-memory TIFF. Like tiffcp, which decodes a directory into one
  // buffer, writes it and frees it before the next, each page is written before the next is decoded: holding every
  // decoded page at once (a quarter of a gigabyte here) would time fresh memory that tiffcp never asks for.
  const document = readTiffDocument(readFileSync(input));
  const file = openSync(output, 'w');
  for (const info of document.pages) writeSync(file, decodeTiffPage(document.data, info).page.data);
  closeSync(file);
} else {
  // Each page is coded as soon as it is read, as `fax convert` and tiffcp do.
  const document = readTiffDocument(readFileSync(input));
  const coded = document.pages.map((info) => codeTiffPage(decodeTiffPage(document.data, info).page, { compression }));
  writeFileSync(output, writeTiffClassF(coded, { compression }));
}
