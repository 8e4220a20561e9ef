// One fax call over T.38 on UDP (DESIGN.md §3 `fax terminal`): a T.30 session, a T.38 terminal and a UDPTL socket.

import { performance } from 'node:perf_hooks';
import type { BilevelPage, Resolution, T30Outcome } from '@faxd/protocol';
import type { CallCompression } from './fax-station.js';
import { MediaSocket } from './media-socket.js';
import { UdptlLeg } from './udptl-leg.js';
import type { UdpEndpoint } from './udptl-socket.js';

export type { CallCompression };

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
    reason: outcome.code,
    outcome,
    received,
  };
}
