// Interpretation of one TIFF directory as a bilevel fax page: the Baseline and Class F fields (TIFF 6.0 §8, §11; RFC 2306 §2).
import { DecodeError } from '../../bits/decode-error.js';
import { DEFAULT_MAX_ROWS } from '../codec.js';
import { entryNumbers, type TiffFieldReader, type TiffIfd } from './tiff-ifd.js';
import {
  COMPRESSION_NAMES,
  T4_TWO_DIMENSIONAL,
  T4_UNCOMPRESSED,
  TiffCompression,
  TiffTag,
  TiffType,
} from './tiff-tags.js';

/** How a page's strips are coded: raw bits, PackBits, T.4 MH or MR, or T.6 MMR. */
export type TiffPageCoding = 'none' | 'packbits' | 'mh' | 'mr' | 'mmr';

/** One strip's place in the file. */
export interface TiffStrip {
  readonly offset: number;
  readonly byteCount: number;
  /** Image rows coded in this strip (RowsPerStrip, fewer in the last strip). */
  readonly rows: number;
}

/** What a caller needs to know about one page before (or instead of) decoding it. */
export interface TiffPageInfo {
  readonly width: number;
  readonly height: number;
  readonly coding: TiffPageCoding;
  /** The Compression tag value (1, 3, 4 or 32773). */
  readonly compression: number;
  /** 1: most significant bit first; 2: least significant bit first. */
  readonly fillOrder: 1 | 2;
  /** 0: WhiteIsZero (the fax convention); 1: BlackIsZero. */
  readonly photometric: 0 | 1;
  /** Dots per inch, converted from centimetres when ResolutionUnit is 3; 204 × 196 when absent. */
  readonly xResolution: number;
  readonly yResolution: number;
  /** T4Options (Compression 3) or T6Options (Compression 4); 0 when absent. */
  readonly options: number;
  readonly strips: readonly TiffStrip[];
  readonly badFaxLines?: number;
  readonly cleanFaxData?: number;
  readonly consecutiveBadFaxLines?: number;
}

/** Pages larger than this many pixels are refused, so a corrupt size field cannot demand gigabytes. */
const MAX_PIXELS = 1 << 28;
/**
 * Nor more rows than this: each row costs a decoder its time and a bitmap at least a byte whatever its width, so a
 * page a pixel wide and 2^28 rows long passed the pixel cap and still took seconds and hundreds of megabytes. It is
 * the codec's own cap on a page of unknown length (over four metres of paper at superfine), and what faxd receives.
 */
const MAX_ROWS = DEFAULT_MAX_ROWS;
const DEFAULT_X_RESOLUTION = 204;
const DEFAULT_Y_RESOLUTION = 196;

/** Validates the directory as a bilevel, strip-organised page and collects its fields. */
export function readPageInfo(reader: TiffFieldReader, ifd: TiffIfd, index: number): TiffPageInfo {
  const where = `page ${index + 1}`;
  const get = (tag: number): number[] | undefined => {
    const entry = ifd.entries.get(tag);
    if (entry === undefined) return undefined;
    // Only the resolutions are fractions; a rational anywhere else would make sizes and offsets non-integers.
    const fractional = tag === TiffTag.XResolution || tag === TiffTag.YResolution;
    if ((entry.type === TiffType.RATIONAL) !== fractional) {
      throw new DecodeError(`${where}: tag ${tag} has the wrong field type ${entry.type}`, entry.valueOffset);
    }
    return entryNumbers(reader, entry);
  };
  const first = (tag: number, fallback?: number): number => {
    const value = get(tag)?.[0] ?? fallback;
    if (value === undefined) throw new DecodeError(`${where}: required tag ${tag} is missing`, ifd.offset);
    return value;
  };

  const width = first(TiffTag.ImageWidth);
  const height = first(TiffTag.ImageLength);
  if (width < 1 || height < 1 || height > MAX_ROWS || width * height > MAX_PIXELS) {
    throw new DecodeError(`${where}: unusable image size ${width} x ${height}`, ifd.offset);
  }
  if (ifd.entries.has(TiffTag.TileWidth) || ifd.entries.has(TiffTag.TileOffsets)) {
    throw new DecodeError(`${where}: tiled images are not supported, only strips`, ifd.offset);
  }
  const bitsPerSample = get(TiffTag.BitsPerSample) ?? [1];
  const samplesPerPixel = first(TiffTag.SamplesPerPixel, 1);
  if (samplesPerPixel !== 1 || bitsPerSample.some((bits) => bits !== 1)) {
    throw new DecodeError(
      `${where}: not a bilevel image (BitsPerSample ${bitsPerSample.join(',')}, SamplesPerPixel ${samplesPerPixel})`,
      ifd.offset,
    );
  }
  const photometric = first(TiffTag.PhotometricInterpretation, 0);
  if (photometric !== 0 && photometric !== 1) {
    throw new DecodeError(`${where}: PhotometricInterpretation ${photometric} is not bilevel (0 or 1)`, ifd.offset);
  }
  const fillOrder = first(TiffTag.FillOrder, 1);
  if (fillOrder !== 1 && fillOrder !== 2) throw new DecodeError(`${where}: bad FillOrder ${fillOrder}`, ifd.offset);

  const compression = first(TiffTag.Compression, TiffCompression.None);
  const options = first(compression === TiffCompression.T6 ? TiffTag.T6Options : TiffTag.T4Options, 0);
  const coding = pageCoding(compression, options, where, ifd.offset);
  const resolution = readResolution(get, where, ifd.offset);

  return {
    width,
    height,
    coding,
    compression,
    fillOrder,
    photometric,
    ...resolution,
    options,
    strips: readStrips(get, height, where, ifd.offset),
    ...optional('badFaxLines', get(TiffTag.BadFaxLines)),
    ...optional('cleanFaxData', get(TiffTag.CleanFaxData)),
    ...optional('consecutiveBadFaxLines', get(TiffTag.ConsecutiveBadFaxLines)),
  };
}

function optional<K extends string>(key: K, values: number[] | undefined): { [P in K]?: number } {
  const value = values?.[0];
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: number };
}

function pageCoding(compression: number, options: number, where: string, offset: number): TiffPageCoding {
  switch (compression) {
    case TiffCompression.None:
      return 'none';
    case TiffCompression.PackBits:
      return 'packbits';
    case TiffCompression.T4:
      // T.4 uncompressed mode (bit 1) is an extension of the code tables that fax machines do not send.
      if (options & T4_UNCOMPRESSED) throw new DecodeError(`${where}: T.4 uncompressed mode is not supported`, offset);
      return options & T4_TWO_DIMENSIONAL ? 'mr' : 'mh';
    case TiffCompression.T6:
      return 'mmr';
    default: {
      const name = COMPRESSION_NAMES[compression] ?? `Compression ${compression}`;
      throw new DecodeError(`${where}: unsupported compression ${name}`, offset);
    }
  }
}

function readResolution(
  get: (tag: number) => number[] | undefined,
  where: string,
  offset: number,
): { xResolution: number; yResolution: number } {
  const unit = get(TiffTag.ResolutionUnit)?.[0] ?? 2;
  const x = get(TiffTag.XResolution)?.[0];
  const y = get(TiffTag.YResolution)?.[0];
  if (x === undefined || y === undefined || !(x > 0) || !(y > 0)) {
    return { xResolution: DEFAULT_X_RESOLUTION, yResolution: DEFAULT_Y_RESOLUTION };
  }
  if (unit !== 1 && unit !== 2 && unit !== 3) throw new DecodeError(`${where}: bad ResolutionUnit ${unit}`, offset);
  // Unit 3 is centimetres; unit 1 (no absolute unit) is taken as inches, which is what fax writers mean by it.
  const scale = unit === 3 ? 2.54 : 1;
  const [xResolution, yResolution] = [Math.round(x * scale), Math.round(y * scale)];
  // Under a dot per inch, a page would be yards across: a broken field, read as absent like a zero one.
  if (xResolution < 1 || yResolution < 1) {
    return { xResolution: DEFAULT_X_RESOLUTION, yResolution: DEFAULT_Y_RESOLUTION };
  }
  return { xResolution, yResolution };
}

function readStrips(
  get: (tag: number) => number[] | undefined,
  height: number,
  where: string,
  offset: number,
): TiffStrip[] {
  const offsets = get(TiffTag.StripOffsets);
  const counts = get(TiffTag.StripByteCounts);
  if (offsets === undefined || counts === undefined) {
    throw new DecodeError(`${where}: StripOffsets or StripByteCounts is missing`, offset);
  }
  const rowsPerStrip = Math.min(get(TiffTag.RowsPerStrip)?.[0] ?? height, height);
  if (rowsPerStrip < 1) throw new DecodeError(`${where}: RowsPerStrip is 0`, offset);
  const needed = Math.ceil(height / rowsPerStrip);
  if (offsets.length < needed || counts.length < needed) {
    throw new DecodeError(`${where}: ${needed} strips needed, the file lists ${offsets.length}`, offset);
  }
  const strips: TiffStrip[] = [];
  for (let i = 0; i < needed; i++) {
    const rows = Math.min(rowsPerStrip, height - i * rowsPerStrip);
    strips.push({ offset: offsets[i] as number, byteCount: counts[i] as number, rows });
  }
  return strips;
}
