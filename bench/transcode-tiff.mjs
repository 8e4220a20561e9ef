// Benchmark driver: transcodes a bilevel TIFF with faxd's reader and Class F writer, the work `tiffcp -c` does.
import { closeSync, fstatSync, openSync, readSync, writeFileSync, writeSync } from 'node:fs';
// The image modules by their own subpaths, as `fax convert` loads them: the package index would load the SIP, T.30
// and modem stacks too, start-up that tiffcp does not pay and faxd's converter does not either.
import { decodeTiffPage } from '@faxd/protocol/image/tiff/tiff-reader';
import { readTiffSourceDocument } from '@faxd/protocol/image/tiff/tiff-source';
import { codeTiffPage, writeTiffClassF } from '@faxd/protocol/image/tiff/tiff-writer';

const [input, output, compression] = process.argv.slice(2);
if (!input || !output || !['mh', 'mr', 'mmr', 'none'].includes(compression)) {
  console.error('usage: node bench/transcode-tiff.mjs IN.tif OUT mh|mr|mmr|none');
  process.exit(2);
}

/**
 * The input read as tiffcp reads it: directories and strips by positioned reads into one buffer reused for every
 * strip, rather than the whole file (a quarter of a gigabyte uncompressed) into fresh memory first.
 */
function fileSource(path) {
  const fd = openSync(path, 'r');
  let buffer = new Uint8Array(1 << 16);
  return {
    size: fstatSync(fd).size,
    read(offset, length) {
      if (length > buffer.length) buffer = new Uint8Array(Math.max(length, buffer.length * 2));
      let done = 0;
      while (done < length) {
        const n = readSync(fd, buffer, done, length - done, offset + done);
        if (n === 0) throw new Error(`${path}: ended ${length - done} bytes early at ${offset + done}`);
        done += n;
      }
      return buffer.subarray(0, length);
    },
  };
}

const document = readTiffSourceDocument(fileSource(input));
if (compression === 'none') {
  // Decoding: the packed pages go out as they are, the same bytes `tiffcp -c none` writes, so the figure measures
  // our decoder rather than assembling one large in-memory TIFF. Like tiffcp, which decodes a directory into one
  // buffer, writes it and frees it before the next, each page is written before the next is decoded: holding every
  // decoded page at once (a quarter of a gigabyte here) would time fresh memory that tiffcp never asks for.
  const file = openSync(output, 'w');
  for (const info of document.pages) writeSync(file, decodeTiffPage(document.source, info).page.data);
  closeSync(file);
} else {
  // Each page is coded as soon as it is read, as `fax convert` and tiffcp do.
  const coded = document.pages.map((info) => codeTiffPage(decodeTiffPage(document.source, info).page, { compression }));
  writeFileSync(output, writeTiffClassF(coded, { compression }));
}
