// The screening of a PDF page's grey pixels into packed bilevel rows, in WebAssembly SIMD on the heap PDFium drew the
// page on: sixteen pixels at a time, blank paper in one compare. The rule is screenRgba's (bilevel.ts), pixel by
// pixel: black below half luminance, except a mid grey (25 to 231) whose neighbours on the row are the same grey, a
// flat fill, which is black where it is darker than the clustered-dot screen's threshold. In JavaScript this took 3 to
// 6 ms a page, as long as PDFium took to draw it; here it takes a fraction of that, from the first page on, with no JIT
// to warm up.
//
// The module is a few hundred bytes assembled here rather than a .wasm file built by a toolchain: its one function
// reads best beside the opcodes it is made of, and it compiles in microseconds, once in each thread that draws.

import { CLUSTERED_DOT_8 } from './halftone-screen.js';
import { type WasmMemory, type WasmModule, webAssembly } from './web-assembly.js';

/** Value types and the opcodes used (WebAssembly core specification §5.3 and §5.4; SIMD instructions after 0xfd). */
const I32 = 0x7f;
const V128 = 0x7b;
const EMPTY_BLOCK = 0x40;
const BLOCK = 0x02;
const LOOP = 0x03;
const IF = 0x04;
const ELSE = 0x05;
const END = 0x0b;
const BR = 0x0c;
const BR_IF = 0x0d;
const SELECT_TYPED = 0x1c;
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const I32_STORE16 = 0x3b;
const I32_CONST = 0x41;
const I32_GE_U = 0x4f;
const I32_ADD = 0x6a;
const I32_SUB = 0x6b;
const I32_AND = 0x71;
const I32_SHL = 0x74;
const SIMD = 0xfd;
const V128_LOAD = 0x00;
const V128_CONST = 0x0c;
const I8X16_SWIZZLE = 0x0e;
const I8X16_EQ = 0x23;
const I8X16_LT_U = 0x26;
const I8X16_GT_U = 0x28;
const V128_AND = 0x4e;
const V128_BITSELECT = 0x52;
const I8X16_ALL_TRUE = 0x63;
const I8X16_BITMASK = 0x64;

/** A memory access's alignment hint (none assumed) and offset. */
const at = (offset: number): number[] => [0, offset];

/** The function's parameters and locals, by index. */
const GREY = 0;
const ROWS = 1;
const THRESHOLDS = 2;
const WIDTH = 3;
const HEIGHT = 4;
const Y = 5;
const ROW_END = 6;
const PIXELS = 7;
const ROW_START = 8;
const THRESHOLD = 9;

/** Unsigned LEB128 (specification §5.2.2), for counts and sizes. */
function unsigned(value: number): number[] {
  const out: number[] = [];
  for (let rest = value >>> 0; ; ) {
    const low = rest & 0x7f;
    rest >>>= 7;
    if (rest === 0) return [...out, low];
    out.push(low | 0x80);
  }
}

const vector = (items: readonly number[][]): number[] => [...unsigned(items.length), ...items.flat()];
const name = (text: string): number[] => vector([...new TextEncoder().encode(text)].map((byte) => [byte]));
const section = (id: number, content: number[]): number[] => [id, ...unsigned(content.length), ...content];
const lanes = (values: readonly number[]): number[] => [SIMD, V128_CONST, ...values];
const splat = (value: number): number[] => lanes(Array(16).fill(value));
const simd = (opcode: number): number[] => [SIMD, opcode];

/** All lanes kept but the first (the row's first pixel has no left neighbour), or but the last (no right one). */
const BUT_FIRST = [0, ...Array(15).fill(0xff)];
const BUT_LAST = [...Array(15).fill(0xff), 0];
/**
 * Lane n of the swizzled vector is pixel 7 - n of each eight, so that the bitmask's bit 7 is the first pixel: packed
 * rows are most significant bit first, and the two bytes stored little-endian keep the pixels' order.
 */
const FIRST_PIXEL_HIGH = [7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8];
/** The greys a flat fill is screened in: 25 to 231; lighter and darker ones are paper and ink. */
const FILL_ABOVE = 24;
const FILL_BELOW = 232;

/**
 * screen(grey, rows, thresholds, width, height): `height` rows of `width` grey bytes from `grey` into rows packed
 * eight pixels a byte (1 black) from `rows`; `thresholds` holds the screen's eight rows, each repeated to 16 lanes.
 * Reads one byte before `grey` and one after its last row, whose values do not count. `width` is a multiple of 16.
 */
// biome-ignore format: one instruction or a short sequence per line, as a disassembly reads
const SCREEN_BODY = [
  ...vector([[2, I32], [3, V128]]),
  BLOCK, EMPTY_BLOCK,
  LOOP, EMPTY_BLOCK,
  LOCAL_GET, Y, LOCAL_GET, HEIGHT, I32_GE_U, BR_IF, 1,
  LOCAL_GET, GREY, LOCAL_GET, WIDTH, I32_ADD, LOCAL_SET, ROW_END,
  // The screen's row for this row of the page.
  LOCAL_GET, THRESHOLDS, LOCAL_GET, Y, I32_CONST, 7, I32_AND, I32_CONST, 4, I32_SHL, I32_ADD,
  ...simd(V128_LOAD), ...at(0), LOCAL_SET, THRESHOLD,
  ...lanes(BUT_FIRST), LOCAL_SET, ROW_START,
  BLOCK, EMPTY_BLOCK,
  LOOP, EMPTY_BLOCK,
  LOCAL_GET, GREY, LOCAL_GET, ROW_END, I32_GE_U, BR_IF, 1,
  LOCAL_GET, GREY, ...simd(V128_LOAD), ...at(0), LOCAL_SET, PIXELS,
  LOCAL_GET, ROWS,
  // Sixteen white pixels: nothing inked.
  LOCAL_GET, PIXELS, ...splat(0xff), ...simd(I8X16_EQ), ...simd(I8X16_ALL_TRUE),
  IF, I32,
  I32_CONST, 0,
  ELSE,
  // Black where darker than the screen, if flat; else where darker than half.
  LOCAL_GET, PIXELS, LOCAL_GET, THRESHOLD, ...simd(I8X16_LT_U),
  LOCAL_GET, PIXELS, ...splat(0x80), ...simd(I8X16_LT_U),
  // Flat: the same grey as the pixels before and after it, within the fill's greys, not at either end of the row.
  LOCAL_GET, PIXELS, LOCAL_GET, GREY, I32_CONST, 1, I32_SUB, ...simd(V128_LOAD), ...at(0), ...simd(I8X16_EQ),
  LOCAL_GET, PIXELS, LOCAL_GET, GREY, ...simd(V128_LOAD), ...at(1), ...simd(I8X16_EQ),
  ...simd(V128_AND),
  LOCAL_GET, PIXELS, ...splat(FILL_ABOVE), ...simd(I8X16_GT_U),
  LOCAL_GET, PIXELS, ...splat(FILL_BELOW), ...simd(I8X16_LT_U),
  ...simd(V128_AND), ...simd(V128_AND),
  LOCAL_GET, ROW_START, ...simd(V128_AND),
  ...lanes(BUT_LAST), ...splat(0xff),
  LOCAL_GET, GREY, I32_CONST, 16, I32_ADD, LOCAL_GET, ROW_END, I32_GE_U,
  SELECT_TYPED, ...vector([[V128]]),
  ...simd(V128_AND),
  ...simd(V128_BITSELECT),
  // Black lanes are all ones, their top bit set: the bitmask's bits are the black pixels.
  ...lanes(FIRST_PIXEL_HIGH), ...simd(I8X16_SWIZZLE), ...simd(I8X16_BITMASK),
  END,
  I32_STORE16, ...at(0),
  ...splat(0xff), LOCAL_SET, ROW_START,
  LOCAL_GET, GREY, I32_CONST, 16, I32_ADD, LOCAL_SET, GREY,
  LOCAL_GET, ROWS, I32_CONST, 2, I32_ADD, LOCAL_SET, ROWS,
  BR, 0,
  END,
  END,
  LOCAL_GET, Y, I32_CONST, 1, I32_ADD, LOCAL_SET, Y,
  BR, 0,
  END,
  END,
  END,
];

const MODULE_BYTES = new Uint8Array([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
  ...section(1, vector([[0x60, ...vector(Array(5).fill([I32])), ...vector([])]])),
  ...section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x00, 0x00]])),
  ...section(3, vector([[0]])),
  ...section(7, vector([[...name('screen'), 0x00, 0]])),
  ...section(10, vector([[...unsigned(SCREEN_BODY.length), ...SCREEN_BODY]])),
]);

/** The screen's eight rows of thresholds, each repeated to sixteen lanes, as the function reads them. */
export const THRESHOLD_BYTES = 8 * 16;

/**
 * Where a page's grey pixels and packed rows lie on a heap, and its size. One byte before the pixels and one after
 * them must be on the heap too; the width must be a multiple of 16, as every fax width is.
 */
export interface HeapPage {
  readonly grey: number;
  readonly rows: number;
  readonly width: number;
  readonly height: number;
}

type Screen = (grey: number, rows: number, thresholds: number, width: number, height: number) => void;

/** The module compiled once per thread, on first use, and instantiated for each document on its PDFium's heap. */
let compiled: WasmModule | undefined;

/** The screening bound to one heap (PDFium's, on this thread), with the screen's thresholds at `thresholds` on it. */
export class GreyPageScreen {
  readonly #memory: WasmMemory;
  readonly #thresholds: number;
  readonly #screen: Screen;

  constructor(memory: WasmMemory, thresholds: number) {
    this.#memory = memory;
    this.#thresholds = thresholds;
    const heap = new Uint8Array(memory.buffer);
    for (let row = 0; row < 8; row++) {
      const cells = CLUSTERED_DOT_8.subarray(row * 8, row * 8 + 8);
      heap.set(cells, thresholds + row * 16);
      heap.set(cells, thresholds + row * 16 + 8);
    }
    compiled ??= new webAssembly.Module(MODULE_BYTES);
    const instance = new webAssembly.Instance(compiled, { env: { memory } });
    this.#screen = instance.exports.screen as Screen;
  }

  /** The page's packed rows, copied off the heap. */
  screen(page: HeapPage): Uint8Array<ArrayBuffer> {
    const { grey, rows, width, height } = page;
    if ((width & 15) !== 0) throw new RangeError(`a ${width}-pixel row is not a multiple of 16 pixels`);
    if (grey < 1) throw new RangeError('the grey pixels need a byte of the heap before them');
    this.#screen(grey, rows, this.#thresholds, width, height);
    // Read only now: the heap's buffer is replaced whenever it grows.
    return new Uint8Array(this.#memory.buffer).slice(rows, rows + (width >> 3) * height);
  }
}
