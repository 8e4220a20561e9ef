// Where a page decoder puts its rows (a bitmap, or an encoder), with the bad-row accounting T.4 §4.1.2 receivers keep.

import { PAINT_SLACK, paintChangingElements, paintWords } from './changing-elements.js';
import type { BilevelPage } from './page.js';

/**
 * Takes decoded rows as changing elements and counts the damage; bad rows repeat the row above (white for the first
 * row). What becomes of a row is the subclass's: PageRows paints a bitmap, RowEncoder codes it again.
 */
export abstract class RowSink {
  readonly width: number;
  /** Rows expected, or the cap on rows when the data decides. */
  readonly limit: number;
  /** True when `limit` is the known page height, so missing rows are damage to fill in. */
  private readonly heightKnown: boolean;
  rows = 0;
  badRows = 0;
  consecutiveBadRows = 0;
  private currentBadRun = 0;

  constructor(width: number, height: number | undefined, maxRows: number) {
    this.width = width;
    this.heightKnown = height !== undefined;
    this.limit = height ?? maxRows;
  }

  get full(): boolean {
    return this.rows >= this.limit;
  }

  /** Appends a good row from its changing elements (with the four width sentinels after them). */
  addRow(changes: Int32Array, count: number): void {
    this.storeRow(changes, count);
    this.rows++;
    this.currentBadRun = 0;
  }

  /** Appends a bad row: a copy of the previous row. */
  addBadRow(): void {
    this.repeatRow();
    this.rows++;
    this.badRows++;
    this.currentBadRun++;
    if (this.currentBadRun > this.consecutiveBadRows) this.consecutiveBadRows = this.currentBadRun;
  }

  /** Marks every row still missing up to the expected height as bad. */
  fillMissingRows(): void {
    if (!this.heightKnown) return;
    while (this.rows < this.limit) this.addBadRow();
  }

  /** Stores row number `rows` from its changing elements. */
  protected abstract storeRow(changes: Int32Array, count: number): void;

  /** Stores row number `rows` as a copy of the row before it (all white for row 0). */
  protected abstract repeatRow(): void;
}

/** Collects decoded rows into a growing bitmap. */
export class PageRows extends RowSink {
  readonly stride: number;
  /**
   * Room for `capacity` rows plus the slack painting may touch; `view` and `words` cover the same memory. Rows whose
   * stride is a whole number of 32-bit words (every fax width) are painted through `words`, others through `view`.
   */
  private data: Uint8Array;
  private view: DataView;
  private words: Int32Array;
  private readonly wordRows: boolean;
  private capacity: number;

  constructor(width: number, height: number | undefined, maxRows: number) {
    super(width, height, maxRows);
    this.stride = (width + 7) >> 3;
    this.wordRows = this.stride % 4 === 0;
    this.capacity = height ?? Math.min(256, maxRows);
    this.data = new Uint8Array(this.stride * this.capacity + PAINT_SLACK);
    this.view = new DataView(this.data.buffer);
    this.words = wordsOf(this.data);
  }

  protected storeRow(changes: Int32Array, count: number): void {
    const offset = this.reserve(); // first: it may move the bitmap to a bigger buffer
    if (this.wordRows) paintWords(changes, count, this.words, offset >> 2);
    else paintChangingElements(changes, count, this.view, this.data, offset);
  }

  protected repeatRow(): void {
    const offset = this.reserve();
    if (this.rows > 0) this.data.copyWithin(offset, offset - this.stride, offset);
  }

  toPage(xResolution: number, yResolution: number): BilevelPage {
    const size = this.rows * this.stride;
    // A full buffer is handed over without a copy (its slack bytes lie past the view); a partly used one is trimmed.
    const data = this.rows === this.capacity ? this.data.subarray(0, size) : this.data.slice(0, size);
    return { width: this.width, height: this.rows, stride: this.stride, xResolution, yResolution, data };
  }

  /** Offset of the next row, growing the buffer (doubling) when needed; new rows are zero. */
  private reserve(): number {
    const offset = this.rows * this.stride;
    if (this.rows === this.capacity) {
      this.capacity = Math.max(this.capacity * 2, 1);
      const bigger = new Uint8Array(this.stride * this.capacity + PAINT_SLACK);
      bigger.set(this.data.subarray(0, offset));
      this.data = bigger;
      this.view = new DataView(bigger.buffer);
      this.words = wordsOf(bigger);
    }
    return offset;
  }
}

/** The whole 32-bit words of a buffer of its own (offset 0), in the platform's byte order. */
function wordsOf(data: Uint8Array): Int32Array {
  return new Int32Array(data.buffer, 0, data.byteLength >> 2);
}
