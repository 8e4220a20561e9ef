// One fax call on UDP (DESIGN.md §3 `fax terminal`): a T.30 session on a T.38 terminal over UDPTL, or with
// `media` pcmu/pcma on faxd's audio modems over G.711 RTP, paced in real time; one socket either way.

import { performance } from 'node:perf_hooks';
import type { FaxModemName } from '@faxd/contract';
import type { BilevelPage, Modem, Resolution, T30Outcome } from '@faxd/protocol';
import { MODEM_NAMES } from './call-report.js';
import type { CallCompression, CallMedia } from './fax-station.js';
import { MediaSocket } from './media-socket.js';
import { UdptlLeg } from './udptl-leg.js';
import type { UdpEndpoint } from './udptl-socket.js';

export type { CallCompression, CallMedia };

/** How DESIGN.md §3 names the image modems in `fax terminal --json`. */
export type ModemName = FaxModemName;

export interface T38CallOptions {
  readonly role: 'calling' | 'answering';
  /** Pages to send; absent to receive. All pages share the first page's resolution and width. */
  readonly pages?: readonly BilevelPage[];
  readonly bind: UdpEndpoint;
  readonly peer: UdpEndpoint;
  readonly ecm: boolean;
  /** The best coding this station may use (the other end may choose less). */
  readonly compression: CallCompression;
  readonly ident: string;
  readonly redundancy: number;
  readonly timeoutSeconds: number;
  /** T.38 unless given. */
  readonly media?: CallMedia;
  /** The image modems to offer (all unless given). */
  readonly modems?: readonly Modem[];
  /** How late, in milliseconds, each timer wake-up ran after the station's deadline (for pacing measurements). */
  readonly onLateness?: (ms: number) => void;
}

export interface T38CallResult {
  readonly ok: boolean;
  /** Pages confirmed with MCF or RTP; `ok` needs every page answered MCF. */
  readonly pages: number;
  readonly remoteIdent: string;
  readonly bitRate: number;
  readonly ecm: boolean;
  readonly compression: CallCompression;
  readonly resolution: Resolution;
  readonly seconds: number;
  readonly media: CallMedia;
  /** The image modem of the last DCS over audio; null over T.38 (the gateways' modems are not ours to name). */
  readonly modem: ModemName | null;
  /** The outcome code: 'ok' or why the call failed. */
  readonly reason: string;
  readonly outcome: T30Outcome;
  /** Received pages, decoded. */
  readonly received: readonly BilevelPage[];
}

/**
 * Runs the call on its own socket until the session has finished and its last signal has gone out (the station is
 * cancelled after `timeoutSeconds`). Only datagrams from the peer's port are taken; a socket error ends the call
 * and is thrown.
 */
export async function runT38Call(options: T38CallOptions): Promise<T38CallResult> {
  let failed: (error: Error) => void = () => {};
  const socketError = new Promise<never>((_, reject) => {
    failed = reject;
  });
  const socket = await MediaSocket.bind(options.bind, options.peer, (error) => failed(error));
  const leg = new UdptlLeg({
    station: options,
    link: socket,
    cutOutcome: { code: 'local-cancel' },
    limitMs: options.timeoutSeconds * 1000,
    ...(options.onLateness && { onLateness: options.onLateness }),
  });
  socket.receiver = (datagram) => leg.receive(datagram);
  const started = performance.now();
  leg.start();
  const { report, outcome, received } = await Promise.race([leg.done, socketError]).catch(async (error: unknown) => {
    leg.abandon();
    await socket.release();
    throw error;
  });
  const allPages = options.pages ? options.pages.length : report.confirmed;
  const { dcs } = report;
  return {
    ok: outcome.code === 'ok' && report.confirmedWithMcf === allPages && allPages > 0,
    pages: report.confirmed,
    remoteIdent: report.remoteIdent,
    bitRate: dcs?.bitRate ?? 0,
    ecm: dcs?.ecm ?? false,
    compression: (dcs?.compression ?? 'mh') as CallCompression,
    resolution: dcs?.resolution ?? 'standard',
    seconds: Math.round((performance.now() - started) / 100) / 10,
    media: options.media ?? 't38',
    modem: options.media && options.media !== 't38' && dcs ? MODEM_NAMES[dcs.modem] : null,
    reason: outcome.code,
    outcome,
    received,
  };
}
