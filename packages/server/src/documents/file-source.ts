// A file read at offsets (TiffSource), so a TIFF's pages are read one strip at a time as libtiff reads them.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { TiffSource } from '@faxd/protocol/image/tiff/tiff-source';

/** A TiffSource on an open file, with `close` for its descriptor. */
export interface FileSource extends TiffSource {
  close(): void;
}

/**
 * Opens `path` for positioned reads. Every read lands in one buffer, reused and grown to the largest strip: a
 * document of any length then costs one strip's memory (TiffSource allows it; the reader copies what it keeps).
 */
export function openFileSource(path: string): FileSource {
  const fd = openSync(path, 'r');
  let size: number;
  try {
    size = fstatSync(fd).size;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  let buffer = new Uint8Array(1 << 16);
  return {
    size,
    read(offset, length) {
      if (length > buffer.length) buffer = new Uint8Array(Math.max(length, buffer.length * 2));
      let done = 0;
      while (done < length) {
        const n = readSync(fd, buffer, done, length - done, offset + done);
        // The file shrank since it was opened: a reader checks offsets against `size`, so this is no user error.
        if (n === 0) throw new Error(`${path}: ended ${length - done} bytes early at ${offset + done}`);
        done += n;
      }
      return buffer.subarray(0, length);
    },
    close: () => closeSync(fd),
  };
}
