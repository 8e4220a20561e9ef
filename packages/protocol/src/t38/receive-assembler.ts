// Turns received IFP packets back into T.30 line inputs (T.38 §6.2, §8.3): frames, training, non-ECM data and ends.
//
// Peers cut HDLC frames anywhere (SpanDSP sends one octet per IFP at 300 bit/s), so frame octets are gathered until
// an FCS field. Packets the UDPTL layer reports lost spoil the frame under way, which is then handed on as FCS-bad,
// and non-ECM data, where a marker row of invalid code takes the lost octets' place: the page decoder counts the
// damage as bad rows and the receiving session judges the page (MCF, RTP or RTN) instead of the call stopping.

import { concatBytes } from '../bits/concat-bytes.js';
import type { FrontEndInput } from '../t30/front-end.js';
import type { IfpField, IfpPacket, T30Indicator } from './ifp-packet.js';

/** Twelve or more one bits are no T.4 code, so the decoder rejects the row and resynchronises at the next EOL. */
const LOST_DATA_MARKER = new Uint8Array([0xff, 0xff, 0xff]);

export class ReceiveAssembler {
  #frame: Uint8Array[] = [];
  #frameDamaged = false;
  /** Non-ECM data has started and its sig-end has not arrived. */
  #imageActive = false;
  /** A training indicator came since the last signal ended. */
  #trained = false;

  /** Whether a signal is under way whose end marker is still to come (for the missing-sig-end timeout). */
  get signalOpen(): boolean {
    return this.#imageActive || this.#frame.length > 0;
  }

  receive(packet: IfpPacket): FrontEndInput[] {
    if (packet.type === 't30-indicator') return this.#indicator(packet.indicator);
    const out: FrontEndInput[] = [];
    for (const field of packet.fields) this.#field(field, out);
    return out;
  }

  /** Some IFPs are gone for good (the UDPTL receiver gave up on a gap). */
  lost(): FrontEndInput[] {
    if (this.#frame.length > 0) this.#frameDamaged = true;
    return this.#imageActive ? [{ type: 'image-data', bytes: LOST_DATA_MARKER.slice() }] : [];
  }

  /** Closes whatever signal is open, as if its end had arrived (a peer stopped without a sig-end). */
  endSignal(): FrontEndInput[] {
    this.#resetFrame();
    return this.#endImage();
  }

  #indicator(indicator: T30Indicator): FrontEndInput[] {
    if (indicator === 'no-signal') return this.endSignal();
    if (indicator.endsWith('-training')) {
      const out = this.#endImage();
      this.#trained = true;
      out.push({ type: 'training-received' });
      return out;
    }
    // CNG, CED and the V.21 preamble need no action: the next frame speaks for itself.
    this.#resetFrame();
    return [];
  }

  #field(field: IfpField, out: FrontEndInput[]): void {
    switch (field.fieldType) {
      case 'hdlc-data':
        if (field.data) this.#frame.push(field.data);
        return;
      case 'hdlc-fcs-OK':
      case 'hdlc-fcs-OK-sig-end':
      case 'hdlc-fcs-BAD':
      case 'hdlc-fcs-BAD-sig-end':
        if (field.data) this.#frame.push(field.data);
        this.#completeFrame(field.fieldType.startsWith('hdlc-fcs-OK'), out);
        return;
      case 'hdlc-sig-end':
        // A frame cut off by the end of the carrier never had an FCS: it is dropped, as a modem would.
        this.#resetFrame();
        return;
      case 't4-non-ecm-data':
        this.#imageData(field.data, out);
        return;
      case 't4-non-ecm-sig-end':
        this.#imageData(field.data, out);
        out.push(...this.#endImage());
        return;
      default:
        // V.8 and V.34 fields belong to modulations this terminal does not offer.
        return;
    }
  }

  #completeFrame(fcsOk: boolean, out: FrontEndInput[]): void {
    // Repeated end markers (SpanDSP sends them three times) arrive with no frame under way.
    if (this.#frame.length === 0) return;
    out.push({ type: 'hdlc', bytes: concatBytes(this.#frame), fcsOk: fcsOk && !this.#frameDamaged });
    this.#resetFrame();
  }

  #imageData(data: Uint8Array | undefined, out: FrontEndInput[]): void {
    if (!data) return;
    // The training indicator may have been lost; the data shows the modem trained.
    if (!this.#trained) out.push({ type: 'training-received' });
    this.#trained = true;
    this.#imageActive = true;
    out.push({ type: 'image-data', bytes: data });
  }

  #endImage(): FrontEndInput[] {
    this.#trained = false;
    if (!this.#imageActive) return [];
    this.#imageActive = false;
    return [{ type: 'image-end' }];
  }

  #resetFrame(): void {
    this.#frame = [];
    this.#frameDamaged = false;
  }
}
