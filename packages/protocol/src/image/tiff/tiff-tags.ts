// TIFF tag numbers, field types and code values used by TIFF Class F (TIFF 6.0 §8 and Section 11, RFC 2306 §2).

export const TiffTag = {
  NewSubfileType: 254,
  ImageWidth: 256,
  ImageLength: 257,
  BitsPerSample: 258,
  Compression: 259,
  PhotometricInterpretation: 262,
  FillOrder: 266,
  ImageDescription: 270,
  StripOffsets: 273,
  Orientation: 274,
  SamplesPerPixel: 277,
  RowsPerStrip: 278,
  StripByteCounts: 279,
  XResolution: 282,
  YResolution: 283,
  T4Options: 292,
  T6Options: 293,
  ResolutionUnit: 296,
  PageNumber: 297,
  Software: 305,
  DateTime: 306,
  TileWidth: 322,
  TileOffsets: 324,
  BadFaxLines: 326,
  CleanFaxData: 327,
  ConsecutiveBadFaxLines: 328,
} as const;

/** Field types (TIFF 6.0 §2) with their size in bytes. */
export const TiffType = { BYTE: 1, ASCII: 2, SHORT: 3, LONG: 4, RATIONAL: 5 } as const;

export const TIFF_TYPE_SIZE: Readonly<Record<number, number>> = {
  1: 1, // BYTE
  2: 1, // ASCII
  3: 2, // SHORT
  4: 4, // LONG
  5: 8, // RATIONAL
  6: 1, // SBYTE
  7: 1, // UNDEFINED
  8: 2, // SSHORT
  9: 4, // SLONG
  10: 8, // SRATIONAL
  11: 4, // FLOAT
  12: 8, // DOUBLE
};

export const TiffCompression = {
  None: 1,
  CcittRle: 2,
  T4: 3,
  T6: 4,
  Lzw: 5,
  OldJpeg: 6,
  Jpeg: 7,
  Deflate: 8,
  PackBits: 32773,
} as const;

/** Names for compression schemes we refuse, so the error says what the file actually is. */
export const COMPRESSION_NAMES: Readonly<Record<number, string>> = {
  2: 'CCITT modified Huffman RLE (Compression 2)',
  5: 'LZW',
  6: 'old-style JPEG',
  7: 'JPEG',
  8: 'Deflate',
  32946: 'Deflate',
  34712: 'JPEG 2000',
  34925: 'LZMA',
  50000: 'Zstandard',
  50001: 'WebP',
};

/** T4Options bits (TIFF 6.0 Section 11). */
export const T4_TWO_DIMENSIONAL = 1;
export const T4_UNCOMPRESSED = 2;
export const T4_FILL_BITS = 4;

/** CleanFaxData values (RFC 2306 §2.2.2). */
export const CleanFaxData = { Clean: 0, Regenerated: 1, Unclean: 2 } as const;
