// What one call did, gathered from its T.30 events as they happen (T.30 phases B–E): the negotiated parameters, the
// remote's identity, pages started and confirmed, and the rows a receiver could not read.

import type { FaxCallMedia, FaxModemName, FaxPortCall } from '@faxd/contract';
import type { Dcs, Modem, T30Event, T30Outcome } from '@faxd/protocol';

/** How faxd names the image modems to users (the port's call, `fax terminal --json`). */
export const MODEM_NAMES: Readonly<Record<Modem, FaxModemName>> = { v17: 'V.17', v29: 'V.29', v27ter: 'V.27ter' };

export interface CallProgress {
  /** The page being sent or received, 1-based. */
  readonly page: number;
  /** Pages confirmed so far (MCF or RTP). */
  readonly confirmed: number;
}

export class CallReport {
  /** What carries the call's fax. */
  readonly media: FaxCallMedia;
  /** The DCS in force: the last one, with a CTC's modem and rate since. */
  dcs: Dcs | undefined;
  /** The remote's TSI (it sends) or CSI (it receives); `""` until it arrives. */
  remoteIdent = '';
  currentPage = 0;
  /** Pages answered with MCF or RTP: kept by the receiver. */
  confirmed = 0;
  /** Pages answered with MCF. */
  confirmedWithMcf = 0;
  badRows = 0;
  /** Per kept page on the receiving side: its bad rows and longest run of them (TIFF BadFaxLines tags). */
  readonly pageQuality: { badRows: number; consecutiveBadRows: number }[] = [];
  outcome: T30Outcome | undefined;

  constructor(media: FaxCallMedia = 't38') {
    this.media = media;
  }

  /** The call as a port shows it: its media, and from the DCS on, modem, rate and error correction. */
  get portCall(): FaxPortCall {
    const dcs = this.dcs;
    return {
      media: this.media,
      modem: dcs ? MODEM_NAMES[dcs.modem] : null,
      bitRate: dcs?.bitRate ?? null,
      ecm: dcs?.ecm ?? null,
    };
  }

  /** Takes one session event; returns true when it changes what a status shows. */
  take(event: T30Event): boolean {
    switch (event.type) {
      case 'negotiated':
        this.dcs = event.dcs;
        return true;
      case 'retrain':
        // CTC (T.30 Annex A) moves the image modem without a new DCS; the other retrains are followed by one.
        if (event.reason !== 'CTC' || !this.dcs) return false;
        this.dcs = { ...this.dcs, bitRate: event.bitRate, modem: event.modem ?? this.dcs.modem };
        return true;
      case 'remote-ident':
        if (event.frame === 'CIG') return false;
        this.remoteIdent = event.ident;
        return true;
      case 'page-started':
        this.currentPage = event.page;
        return true;
      case 'page-done':
        if (event.result === 'RTN') return false;
        this.confirmed++;
        if (event.result === 'MCF') this.confirmedWithMcf++;
        this.badRows += event.badRows ?? 0;
        if (event.rows !== undefined) {
          this.pageQuality.push({ badRows: event.badRows ?? 0, consecutiveBadRows: event.consecutiveBadRows ?? 0 });
        }
        return true;
      case 'outcome':
        this.outcome = event.outcome;
        return true;
      default:
        return false;
    }
  }
}
