// Benchmark driver: transcodes a bilevel TIFF with faxd's reader and Class F writer, the work `tiffcp -c` does.
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { readTiff, writeTiffClassF } from '@faxd/protocol';

const [input, output, compression] = process.argv.slice(2);
if (!input || !output || !['mh', 'mr', 'mmr', 'none'].includes(compression)) {
  console.error('usage: node bench/transcode-tiff.mjs IN.tif OUT mh|mr|mmr|none');
  process.exit(2);
}
const pages = readTiff(readFileSync(input)).map((decoded) => decoded.page);
if (compression === 'none') {
  // Decoding: the packed pages go out as they are, the same bytes `tiffcp -c none` writes, so the figure measures
  // our decoder rather than assembling one large in-memory TIFF.
  const file = openSync(output, 'w');
  for (const page of pages) writeSync(file, page.data);
  closeSync(file);
} else {
  writeFileSync(output, writeTiffClassF(pages, { compression }));
}
