// What of a non-ECM image carrier is the page (T.4 §4.1.2–§4.1.4; audio-fax reference §5.2): the bits from the first
// EOL to the end of RTC. A modem delivers whatever it decides from training to carrier loss; the transmitter's first
// bits are the page's fill and EOL, and after RTC come the modem's shutdown and the carrier's decay, none of it page.

import type { OctetPacker } from './line-bits.js';

/** T.4 §4.1.2: EOL is eleven zeros and a one (fill zeros may precede it). */
const EOL_ZEROS = 11;

/** T.4 §4.1.4: RTC is six EOLs in a row. */
const RTC_EOLS = 6;

/**
 * Bits between two EOLs that still leave them "in a row": none in MH, and in MR the tag bit 1 that follows each EOL
 * of RTC (T.4 §4.2.4). A row is never that short: an MH row is at least one terminating code, an MR 2-D row a tag bit
 * 0 and a mode code.
 */
const MAX_BITS_BETWEEN_RTC_EOLS = 1;

/** The first EOL is handed on with four fill zeros ahead of it, so the page starts with an EOL ending on an octet boundary. */
const FIRST_EOL_BITS = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);

/** Passes the page's bits through, from its first EOL to the last EOL of RTC; drops what comes before and after. */
export class PageBitFilter {
  #started = false;
  #ended = false;
  /** Zeros in a row just received. */
  #zeros = 0;
  /** Bits since the last EOL, not counting the current run of zeros (which may be fill before the next EOL). */
  #sinceEol = 0;
  #eolsInRow = 0;

  /** Whether RTC has been seen: nothing more is page. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Packs the page bits of `bits` into `page`. */
  filter(bits: Uint8Array, page: OctetPacker): void {
    for (let i = 0; i < bits.length && !this.#ended; i++) {
      const bit = bits[i]!;
      if (this.#started) page.pushBit(bit);
      if (bit === 0) {
        this.#zeros++;
        continue;
      }
      const eol = this.#zeros >= EOL_ZEROS;
      if (eol) this.#eol(page);
      else this.#sinceEol += this.#zeros + 1;
      this.#zeros = 0;
    }
  }

  #eol(page: OctetPacker): void {
    if (!this.#started) {
      this.#started = true;
      page.push(FIRST_EOL_BITS);
    }
    this.#eolsInRow = this.#sinceEol <= MAX_BITS_BETWEEN_RTC_EOLS ? this.#eolsInRow + 1 : 1;
    this.#sinceEol = 0;
    if (this.#eolsInRow >= RTC_EOLS) this.#ended = true;
  }
}
