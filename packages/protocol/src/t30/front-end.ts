// The contract between a T.30 session and its front end (T.30 clause 5; T.38): what the line delivers, what to transmit.
//
// A front end (the T.38 terminal, later an audio modem) turns line signals into `T30Input` values and performs
// `T30Output` values in order. Transmissions queue: the front end sends each after the previous one, with the
// inter-signal gap (75 ms ± 20 ms in T.30) between different modulations, and reports `send-done` once its
// queue is empty. The session starts its response timers only then, because T4 counts from the end of a command.
// Phase A (CNG, CED) is the front end's too: the session gets `start` once the call is answered.

import type { Dcs, Dis } from './frames/dis-dcs.js';
import type { Modem } from './frames/dis-dcs-bits.js';
import type { T30Outcome } from './outcome.js';

/** The modulation for one transmission or reception: V.21 channel 2 for control, an image modem otherwise. */
export type LineModem =
  | { readonly modem: 'v21'; readonly bitRate: 300 }
  | { readonly modem: Modem; readonly bitRate: number };

export const V21: LineModem = { modem: 'v21', bitRate: 300 };

/** Inputs from the line, delivered by the front end. */
export type FrontEndInput =
  /** One HDLC frame, MSB-first, without FCS; `fcsOk` false when the FCS check failed (T.38 hdlc-fcs-BAD). */
  | { readonly type: 'hdlc'; readonly bytes: Uint8Array; readonly fcsOk: boolean }
  /** The image modem trained (T.38 training indicator); TCF or page data follows. It implies `image-carrier`. */
  | { readonly type: 'training-received' }
  /**
   * An image carrier was heard that did not train (an audio front end; a T.38 gateway sends no indicator for one). A
   * receiver told so knows a page was sent: the post-page command after it gets RTN, not the answer to a repeat.
   */
  | { readonly type: 'image-carrier' }
  /** Non-ECM octets from the image modem (TCF or page data), MSB-first, in line order. */
  | { readonly type: 'image-data'; readonly bytes: Uint8Array }
  /** The image modem carrier ended (T.38 t4-non-ecm-sig-end). */
  | { readonly type: 'image-end' }
  /** Everything handed out for transmission has gone out on the line. */
  | { readonly type: 'send-done' };

/**
 * Commands from the call layer; `page-stored` ends the write a durable sink started for the page in hand,
 * `page-recorded` the record a durable source's caller made of a page confirmed.
 */
export type T30Command =
  | { readonly type: 'start' }
  | { readonly type: 'cancel' }
  | { readonly type: 'page-stored'; readonly ok: boolean }
  | { readonly type: 'page-recorded' };

export type T30Input = FrontEndInput | T30Command;

/** Non-ECM page data, pulled by the front end at the modem's bit rate. */
export class PageDataReader {
  readonly #data: Uint8Array;
  #offset = 0;

  constructor(data: Uint8Array) {
    this.#data = data;
  }

  get totalOctets(): number {
    return this.#data.length;
  }

  get remainingOctets(): number {
    return this.#data.length - this.#offset;
  }

  /** Up to `maxOctets` next octets; empty once the page is exhausted. */
  read(maxOctets: number): Uint8Array {
    const end = Math.min(this.#data.length, this.#offset + Math.max(0, Math.floor(maxOctets)));
    const chunk = this.#data.subarray(this.#offset, end);
    this.#offset = end;
    return chunk;
  }
}

export type T30Phase = 'A' | 'B' | 'C' | 'D' | 'E';

/** What the session reports to the call layer; the service builds its fax status from these. */
export type T30Event =
  | { readonly type: 'phase'; readonly phase: T30Phase }
  | { readonly type: 'state'; readonly from: string; readonly to: string }
  | { readonly type: 'remote-ident'; readonly frame: 'CSI' | 'TSI' | 'CIG'; readonly ident: string }
  | { readonly type: 'remote-capabilities'; readonly frame: 'DIS' | 'DTC'; readonly dis: Dis }
  /** NSF, NSS or NSC, passed through uninterpreted. */
  | { readonly type: 'remote-non-standard'; readonly frame: 'NSF' | 'NSS' | 'NSC'; readonly fif: Uint8Array }
  | { readonly type: 'remote-address'; readonly frame: 'SUB' | 'SID' | 'PWD'; readonly value: string }
  | { readonly type: 'negotiated'; readonly dcs: Dcs }
  | { readonly type: 'training'; readonly bitRate: number; readonly ok: boolean }
  /** The rate the session retrains at; after CTC, which moves the image modem without a new DCS, its modem too. */
  | {
      readonly type: 'retrain';
      readonly reason: 'FTT' | 'RTP' | 'RTN' | 'CTC';
      readonly bitRate: number;
      readonly modem?: Modem;
    }
  | { readonly type: 'page-started'; readonly page: number; readonly of?: number }
  | {
      readonly type: 'page-done';
      readonly page: number;
      readonly result: 'MCF' | 'RTP' | 'RTN';
      /** Known on the receiving side only. */
      readonly rows?: number;
      readonly badRows?: number;
      /** The longest run of bad rows (TIFF ConsecutiveBadFaxLines); receiving side only. */
      readonly consecutiveBadRows?: number;
    }
  | {
      readonly type: 'ecm-block';
      readonly page: number;
      readonly block: number;
      readonly frames: number;
      /** Frames the receiver still asks for (0 when the block is complete). */
      readonly missing: number;
    }
  | { readonly type: 'outcome'; readonly outcome: T30Outcome };

/** What the front end must do, in order. */
export type T30Output =
  /** A burst of HDLC frames (no FCS; the last is the final frame), preceded by flags. */
  | { readonly type: 'send-hdlc'; readonly modem: LineModem; readonly frames: readonly Uint8Array[] }
  /** TCF: zeros for `durationMs` on the image modem (T.30: 1.5 s). */
  | { readonly type: 'send-tcf'; readonly modem: LineModem; readonly durationMs: number }
  /** A non-ECM page: pull octets from `data` at the modem rate, then drop the carrier. */
  | { readonly type: 'send-image'; readonly modem: LineModem; readonly data: PageDataReader }
  /** Drop whatever is queued or being sent (local cancel). */
  | { readonly type: 'stop-transmit' }
  /** Listen with this modem next; `hdlc` when frames (V.21 or ECM) rather than non-ECM data are expected. */
  | { readonly type: 'set-receive-modem'; readonly modem: LineModem; readonly hdlc: boolean }
  | { readonly type: 'event'; readonly event: T30Event };

/** The outputs a front end performs (events go to the call layer). */
export type T30LineOutput = Exclude<T30Output, { readonly type: 'event' }>;

/**
 * What a front end implements: it performs line outputs in order and feeds what it hears, and `send-done`, back
 * through `T30Session.receive`.
 */
export interface T30FrontEnd {
  perform(output: T30LineOutput, now: number): void;
}
