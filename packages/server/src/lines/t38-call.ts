// One fax call over T.38 on UDP (DESIGN.md §3 `fax terminal`): a T.30 session, a T.38 terminal and a UDPTL socket.

import { performance } from 'node:perf_hooks';
import {
  type BilevelPage,
  type CodingScheme,
  type Dis,
  nearestResolution,
  type PageWidth,
  type Resolution,
  type T30Outcome,
  T30Session,
  T38Station,
} from '@faxd/protocol';
import { CallReport } from './call-report.js';
import { PageDocumentSink, PageDocumentSource } from './page-documents.js';
import { runUdptlSocket, type UdpEndpoint } from './udptl-socket.js';

export type CallCompression = 'mh' | 'mr' | 'mmr';

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

const COMPRESSIONS: Readonly<Record<CallCompression, readonly CodingScheme[]>> = {
  mh: ['mh'],
  mr: ['mh', 'mr'],
  mmr: ['mh', 'mr', 'mmr'],
};

/** What this station offers: every modem, the chosen codings, and for a sender only what its pages are. */
export function capabilities(options: Pick<T38CallOptions, 'pages' | 'compression' | 'ecm'>): Dis {
  const first = options.pages?.[0];
  const resolutions = new Set<Resolution>(['standard', 'fine', 'superfine']);
  const widths = new Set<PageWidth>(['a4', 'b4']);
  if (first) {
    resolutions.clear();
    resolutions.add(nearestResolution(first.xResolution, first.yResolution) as Resolution);
    widths.clear();
    widths.add(first.width >= 2048 ? 'b4' : 'a4');
  }
  return {
    modems: new Set(['v27ter', 'v29', 'v17']),
    bitRates: new Set([14400, 12000, 9600, 7200, 4800, 2400]),
    resolutions,
    widths,
    maxLength: 'unlimited',
    compressions: new Set(COMPRESSIONS[options.compression]),
    ecm: options.ecm,
    ecmFrameSize: 256,
    minScanLineTime: 0,
    scanTimeHalvedAtFine: false,
    flags: new Set(),
  };
}

export async function runT38Call(options: T38CallOptions): Promise<T38CallResult> {
  const sink = new PageDocumentSink();
  const session = new T30Session({
    role: options.role,
    direction: options.pages ? 'send' : 'receive',
    capabilities: capabilities(options),
    ident: options.ident,
    ...(options.pages ? { source: new PageDocumentSource(options.pages) } : { sink }),
  });
  const report = new CallReport();
  const station = new T38Station(session, {
    role: options.role,
    redundancy: options.redundancy,
    onEvent: (event) => report.take(event),
  });
  const started = performance.now();
  await runUdptlSocket(station, {
    bind: options.bind,
    peer: options.peer,
    timeoutMs: options.timeoutSeconds * 1000,
    onLateness: options.onLateness,
  });
  const outcome: T30Outcome = station.outcome ?? { code: 'local-cancel' };
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
    received: sink.pages,
  };
}
