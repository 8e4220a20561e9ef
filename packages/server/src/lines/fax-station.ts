// One fax station for a call on any line: a T.30 session (sending the pages, or receiving into a sink) on a T.38
// station, with a report kept up to date from the session's events.

import {
  type BilevelPage,
  type CodingScheme,
  type Dis,
  nearestResolution,
  PageDocumentSource,
  type PageWidth,
  type Resolution,
  type T30Event,
  T30Session,
  T38Station,
} from '@faxd/protocol';
import { CallReport } from './call-report.js';
import type { PageStore } from './fax-line.js';
import { PageDocumentSink } from './page-document-sink.js';

/** The best coding a station may use (the other end may choose less). */
export type CallCompression = 'mh' | 'mr' | 'mmr';

export interface FaxStationOptions {
  readonly role: 'calling' | 'answering';
  /** This station's TSI (sending) or CSI (receiving). */
  readonly ident: string;
  /** Pages to send; absent to receive. */
  readonly pages?: readonly BilevelPage[] | undefined;
  readonly ecm: boolean;
  readonly compression: CallCompression;
  /** UDPTL secondaries, and what the far end negotiated (T38FaxVersion, T38FaxMaxDatagram) when it did. */
  readonly redundancy: number;
  readonly version?: number;
  readonly maxDatagramSize?: number;
  /** Each session event, after the report has taken it. */
  readonly onEvent?: (event: T30Event, report: CallReport) => void;
  /** Where received pages are written before they are confirmed (see PageDocumentSink). */
  readonly storePage?: PageStore | undefined;
}

export interface FaxStation {
  readonly station: T38Station;
  readonly report: CallReport;
  /** Where received pages are kept (empty when sending). */
  readonly sink: PageDocumentSink;
}

const COMPRESSIONS: Readonly<Record<CallCompression, readonly CodingScheme[]>> = {
  mh: ['mh'],
  mr: ['mh', 'mr'],
  mmr: ['mh', 'mr', 'mmr'],
};

/** What this station offers: every modem, the chosen codings, and for a sender only what its pages are. */
function capabilities(options: Pick<FaxStationOptions, 'pages' | 'compression' | 'ecm'>): Dis {
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

export function createFaxStation(options: FaxStationOptions): FaxStation {
  const report = new CallReport();
  const sink = new PageDocumentSink(options.storePage);
  const { pages, role } = options;
  const session = new T30Session({
    role,
    direction: pages ? 'send' : 'receive',
    capabilities: capabilities({ pages, ecm: options.ecm, compression: options.compression }),
    ident: options.ident,
    ...(pages ? { source: new PageDocumentSource(pages) } : { sink }),
  });
  const station = new T38Station(session, {
    role,
    redundancy: options.redundancy,
    ...(options.version !== undefined && { version: options.version }),
    ...(options.maxDatagramSize !== undefined && { maxDatagramSize: options.maxDatagramSize }),
    onEvent: (event) => {
      report.take(event);
      options.onEvent?.(event, report);
    },
  });
  return { station, report, sink };
}
