// TIFF file structure: the 8-byte header and the chain of image file directories (TIFF 6.0 §2).
import { ByteReader } from '../../bits/byte-reader.js';
import { DecodeError } from '../../bits/decode-error.js';
import { TIFF_TYPE_SIZE, TiffType } from './tiff-tags.js';

/** One directory entry: where its values live, not yet interpreted. */
export interface TiffEntry {
  readonly tag: number;
  readonly type: number;
  readonly count: number;
  /** File offset of the first value (inside the entry itself when the values fit in 4 bytes). */
  readonly valueOffset: number;
}

/** One image file directory: its file offset and entries by tag. */
export interface TiffIfd {
  readonly offset: number;
  readonly entries: ReadonlyMap<number, TiffEntry>;
}

/**
 * Bounds-checked reads of the file's integers at absolute offsets: a ByteReader over the whole file, or a
 * SourceFieldReader fetching the directories by positioned reads.
 */
export interface TiffFieldReader {
  readonly littleEndian: boolean;
  require(offset: number, count: number, what: string): void;
  uint8(offset: number, what: string): number;
  uint16(offset: number, what: string): number;
  uint32(offset: number, what: string): number;
  slice(offset: number, count: number, what: string): Uint8Array;
}

/** Beyond this many directories the chain is treated as corrupt (fax documents rarely pass a few hundred pages). */
const MAX_DIRECTORIES = 10_000;

/** Checks the header and returns a reader in the file's byte order plus the first IFD offset. */
export function readTiffHeader(bytes: Uint8Array): { reader: ByteReader; firstIfd: number } {
  if (bytes.length < 8) throw new DecodeError(`not a TIFF file: only ${bytes.length} bytes, the header needs 8`, 0);
  const b0 = bytes[0];
  const b1 = bytes[1];
  let littleEndian: boolean;
  if (b0 === 0x49 && b1 === 0x49) littleEndian = true;
  else if (b0 === 0x4d && b1 === 0x4d) littleEndian = false;
  else throw new DecodeError('not a TIFF file: byte order mark is neither "II" nor "MM"', 0);
  const reader = new ByteReader(bytes, littleEndian);
  const magic = reader.uint16(2, 'TIFF header');
  if (magic === 43) throw new DecodeError('BigTIFF files are not supported', 2);
  if (magic !== 42) throw new DecodeError(`not a TIFF file: version ${magic}, expected 42`, 2);
  return { reader, firstIfd: reader.uint32(4, 'TIFF header') };
}

/** Reads every directory of the chain, refusing loops and entries whose values lie outside the file. */
export function readTiffIfds(bytes: Uint8Array): { reader: ByteReader; ifds: TiffIfd[] } {
  const { reader, firstIfd } = readTiffHeader(bytes);
  return { reader, ifds: readIfdChain(reader, firstIfd) };
}

/** The directories from `firstIfd` on, through any reader of the file. */
export function readIfdChain(reader: TiffFieldReader, firstIfd: number): TiffIfd[] {
  if (firstIfd === 0) throw new DecodeError('TIFF file has no image directory', 4);
  const ifds: TiffIfd[] = [];
  const seen = new Set<number>();
  let offset = firstIfd;
  while (offset !== 0) {
    if (seen.has(offset)) throw new DecodeError(`IFD chain loops back to offset ${offset}`, offset);
    if (ifds.length >= MAX_DIRECTORIES) throw new DecodeError(`more than ${MAX_DIRECTORIES} IFDs`, offset);
    seen.add(offset);
    const count = reader.uint16(offset, `IFD ${ifds.length} entry count`);
    const entriesStart = offset + 2;
    reader.require(entriesStart, count * 12 + 4, `IFD ${ifds.length} with ${count} entries`);
    const entries = new Map<number, TiffEntry>();
    for (let i = 0; i < count; i++) {
      const entry = readEntry(reader, entriesStart + i * 12);
      if (entry) entries.set(entry.tag, entry);
    }
    ifds.push({ offset, entries });
    offset = reader.uint32(entriesStart + count * 12, `IFD ${ifds.length - 1} next offset`);
  }
  return ifds;
}

function readEntry(reader: TiffFieldReader, at: number): TiffEntry | undefined {
  const tag = reader.uint16(at, 'IFD entry');
  const type = reader.uint16(at + 2, 'IFD entry');
  const count = reader.uint32(at + 4, 'IFD entry');
  const size = TIFF_TYPE_SIZE[type];
  // TIFF 6.0 §2: readers skip entries of unknown type rather than failing.
  if (size === undefined) return undefined;
  const total = size * count;
  const valueOffset = total <= 4 ? at + 8 : reader.uint32(at + 8, 'IFD entry');
  reader.require(valueOffset, total, `values of tag ${tag}`);
  return { tag, type, count, valueOffset };
}

/** The entry's values as numbers: BYTE, SHORT and LONG as integers, RATIONAL as quotients (NaN when the denominator is 0). */
export function entryNumbers(reader: TiffFieldReader, entry: TiffEntry): number[] {
  const values: number[] = [];
  const what = `tag ${entry.tag}`;
  for (let i = 0; i < entry.count; i++) {
    switch (entry.type) {
      case TiffType.BYTE:
        values.push(reader.uint8(entry.valueOffset + i, what));
        break;
      case TiffType.SHORT:
        values.push(reader.uint16(entry.valueOffset + i * 2, what));
        break;
      case TiffType.LONG:
        values.push(reader.uint32(entry.valueOffset + i * 4, what));
        break;
      case TiffType.RATIONAL: {
        const numerator = reader.uint32(entry.valueOffset + i * 8, what);
        const denominator = reader.uint32(entry.valueOffset + i * 8 + 4, what);
        values.push(denominator === 0 ? Number.NaN : numerator / denominator);
        break;
      }
      default:
        throw new DecodeError(`tag ${entry.tag} has field type ${entry.type}, expected a number`, entry.valueOffset);
    }
  }
  return values;
}

/** The entry's ASCII value without its terminating NUL. */
export function entryText(reader: TiffFieldReader, entry: TiffEntry): string {
  const raw = reader.slice(entry.valueOffset, entry.count, `tag ${entry.tag}`);
  let text = '';
  for (const byte of raw) {
    if (byte === 0) break;
    text += String.fromCharCode(byte);
  }
  return text;
}
