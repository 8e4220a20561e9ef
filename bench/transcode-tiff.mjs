// Benchmark driver: transcodes a bilevel TIFF with faxd's reader and Class F writer, the work `tiffcp -c` does.
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { decodeTiffPage, readTiff, readTiffDocument, writeTiffClassF } from '@faxd/protocol';

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
  const pages = readTiff(readFileSync(input)).map((decoded) => decoded.page);
  writeFileSync(output, writeTiffClassF(pages, { compression }));
}
