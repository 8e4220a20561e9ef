// TIFF files read by positioned reads: directories and strips fetched where they lie, not the whole file in memory,
// as libtiff does. The I/O stays with the caller, who supplies the "read bytes at offset" function.
import { requireInside } from '../../bits/byte-reader.js';
import { readIfdChain, readTiffHeader, type TiffFieldReader } from './tiff-ifd.js';
import { readPageInfo, type TiffPageInfo } from './tiff-page-info.js';

/** A file of `size` bytes whose ranges can be read at any offset. */
export interface TiffSource {
  readonly size: number;
  /**
   * Exactly `length` bytes from `offset` (within the file). The result may be a buffer the source reuses: it is
   * valid until the next call, and the reader copies what it keeps longer.
   */
  read(offset: number, length: number): Uint8Array;
}

/** A TIFF file's pages, described but not decoded, and the source their strips are read from. */
export interface TiffSourceDocument {
  readonly source: TiffSource;
  readonly pages: readonly TiffPageInfo[];
}

/** Parses every directory through positioned reads and checks each page is one we can decode; as readTiffDocument. */
export function readTiffSourceDocument(source: TiffSource): TiffSourceDocument {
  const header = source.read(0, Math.min(8, source.size)).slice();
  const { reader: headerReader, firstIfd } = readTiffHeader(header);
  const reader = new SourceFieldReader(source, headerReader.littleEndian);
  const pages = readIfdChain(reader, firstIfd).map((ifd, index) => {
    const info = readPageInfo(reader, ifd, index);
    for (const strip of info.strips) reader.require(strip.offset, strip.byteCount, `page ${index + 1} strip`);
    return info;
  });
  return { source, pages };
}

/**
 * Directory reads through a window of the file: a directory, its values and the next one usually lie close
 * together, so one positioned read of a few kilobytes serves many fields.
 */
class SourceFieldReader implements TiffFieldReader {
  readonly littleEndian: boolean;
  private readonly source: TiffSource;
  private windowStart = 0;
  private window = new Uint8Array(0);

  constructor(source: TiffSource, littleEndian: boolean) {
    this.source = source;
    this.littleEndian = littleEndian;
  }

  require(offset: number, count: number, what: string): void {
    requireInside(offset, count, this.source.size, what);
  }

  uint8(offset: number, what: string): number {
    return this.bytesAt(offset, 1, what)[offset - this.windowStart] as number;
  }

  uint16(offset: number, what: string): number {
    const bytes = this.bytesAt(offset, 2, what);
    const at = offset - this.windowStart;
    const a = bytes[at] as number;
    const b = bytes[at + 1] as number;
    return this.littleEndian ? a | (b << 8) : (a << 8) | b;
  }

  uint32(offset: number, what: string): number {
    const lo = this.uint16(offset + (this.littleEndian ? 0 : 2), what);
    const hi = this.uint16(offset + (this.littleEndian ? 2 : 0), what);
    return hi * 0x10000 + lo;
  }

  slice(offset: number, count: number, what: string): Uint8Array {
    const at = offset - this.windowStart;
    return this.bytesAt(offset, count, what).subarray(at, at + count);
  }

  /** The window, moved to cover `count` bytes at `offset` when it does not already. */
  private bytesAt(offset: number, count: number, what: string): Uint8Array {
    this.require(offset, count, what);
    const start = this.windowStart;
    if (offset >= start && offset + count <= start + this.window.length) return this.window;
    const length = Math.min(Math.max(count, WINDOW_BYTES), this.source.size - offset);
    // A copy: the source may reuse its buffer for the strips read while these fields are still wanted.
    this.window = this.source.read(offset, length).slice();
    this.windowStart = offset;
    return this.window;
  }
}

const WINDOW_BYTES = 4096;
