// PageRows: the growing bitmap a decoder writes rows into, with the bad-row accounting T.4 §4.1.2 receivers keep.

import { PAINT_SLACK, paintChangingElements } from './changing-elements.js';
import type { BilevelPage } from './page.js';

/** Collects decoded rows; bad rows repeat the row above (white for the first row). */
export class PageRows {
  readonly width: number;
  readonly stride: number;
  /** Rows expected, or the cap on rows when the data decides. */
  readonly limit: number;
  /** True when `limit` is the known page height, so missing rows are damage to fill in. */
  private readonly heightKnown: boolean;
  rows = 0;
  badRows = 0;
  consecutiveBadRows = 0;
  private currentBadRun = 0;
  /** Room for `capacity` rows plus the slack painting may touch; `view` covers the same memory. */
  private data: Uint8Array;
  private view: DataView;
  private capacity: number;

  constructor(width: number, height: number | undefined, maxRows: number) {
    this.width = width;
    this.stride = (width + 7) >> 3;
    this.heightKnown = height !== undefined;
    this.limit = height ?? maxRows;
    this.capacity = height ?? Math.min(256, maxRows);
    this.data = new Uint8Array(this.stride * this.capacity + PAINT_SLACK);
    this.view = new DataView(this.data.buffer);
  }

  get full(): boolean {
    return this.rows >= this.limit;
  }

  /** Appends a good row painted from its changing elements (with the width sentinel after them). */
  addRow(changes: Int32Array, count: number): void {
    const offset = this.reserve();
    paintChangingElements(changes, count, this.view, this.data, offset);
    this.rows++;
    this.currentBadRun = 0;
  }

  /** Appends a bad row: a copy of the previous row. */
  addBadRow(): void {
    const offset = this.reserve();
    if (this.rows > 0) this.data.copyWithin(offset, offset - this.stride, offset);
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
    }
    return offset;
  }
}
