// One fax station for a call on any line: a T.30 session (sending the pages, or receiving into a sink) on a T.38
// station or, for a call carried as G.711 audio, an RTP fax station running faxd's own modems, with a report kept up
// to date from the session's events. Both trade datagrams the same way, so every leg and driver takes either.

import { randomInt } from 'node:crypto';
import {
  audioImageModems,
  type BilevelPage,
  type CodingScheme,
  DIS_RATE_CODES,
  type Dis,
  type G711Codec,
  type Modem,
  nearestResolution,
  PageDocumentSource,
  type PageWidth,
  RATE_FALLBACK_ORDER,
  type Resolution,
  RtpFaxStation,
  type T30Event,
  T30Session,
  T38Station,
} from '@faxd/protocol';
import { CallReport } from './call-report.js';
import type { CallListener, PageStore } from './fax-line.js';
import { PageDocumentSink } from './page-document-sink.js';

/** The best coding a station may use (the other end may choose less). */
export type CallCompression = 'mh' | 'mr' | 'mmr';

/** What carries the fax: T.38 over UDPTL, or G.711 audio (µ-law, A-law) over RTP. */
export type CallMedia = 't38' | 'pcmu' | 'pcma';

/** The image modems a station offers unless told otherwise. */
export const ALL_MODEMS: readonly Modem[] = ['v17', 'v29', 'v27ter'];

const AUDIO_CODECS: Readonly<Record<Exclude<CallMedia, 't38'>, { codec: G711Codec; payloadType: number }>> = {
  pcmu: { codec: 'PCMU', payloadType: 0 },
  pcma: { codec: 'PCMA', payloadType: 8 },
};

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
  /** Line time each data IFP carries (T38TerminalOptions.chunkMs; a gateway's 30 ms unless given). */
  readonly chunkMs?: number;
  /** Each session event, after the report has taken it. */
  readonly onEvent?: (event: T30Event, report: CallReport) => void;
  /** Where received pages are written before they are confirmed (see PageDocumentSink). */
  readonly storePage?: PageStore | undefined;
  /** Where a sender writes down the pages confirmed before it goes on (CallListener.recordConfirmed). */
  readonly recordConfirmed?: CallListener['recordConfirmed'];
  /** Asked before each step of the call by the leg driving the station (CallListener.mayContinue). */
  readonly mayContinue?: (() => boolean) | undefined;
  /** T.38 unless given. */
  readonly media?: CallMedia;
  /** The image modems to offer (all unless given); over audio, those faxd's modems run. */
  readonly modems?: readonly Modem[];
}

/** What a station takes from the listener of its call, whatever line carries it. */
export function listenerOptions(
  listener: CallListener,
): Pick<FaxStationOptions, 'onEvent' | 'storePage' | 'recordConfirmed' | 'mayContinue'> {
  return {
    onEvent: (event, report) => listener.onEvent(event, report),
    storePage: listener.storePage,
    recordConfirmed: listener.recordConfirmed,
    mayContinue: listener.mayContinue,
  };
}

/** A fax station that trades datagrams: T.38 IFPs in UDPTL, or G.711 in RTP. */
export type DatagramFaxStation = T38Station | RtpFaxStation;

export interface FaxStation {
  readonly station: DatagramFaxStation;
  readonly report: CallReport;
  /** Where received pages are kept (empty when sending). */
  readonly sink: PageDocumentSink;
}

const COMPRESSIONS: Readonly<Record<CallCompression, readonly CodingScheme[]>> = {
  mh: ['mh'],
  mr: ['mh', 'mr'],
  mmr: ['mh', 'mr', 'mmr'],
};

/**
 * The modems offered and their rates: those asked for that the media can carry. A receiver's DIS (T.30 bits 11–14)
 * cannot name every set: V.17 goes only with V.29 and V.27 ter, so a receiver offers the smallest set it can name that
 * holds those asked for (as SpanDSP does); a sender only chooses among them.
 */
function modemsFor(media: CallMedia, asked: readonly Modem[], receiving: boolean): Pick<Dis, 'modems' | 'bitRates'> {
  const nameable = DIS_RATE_CODES.find((row) =>
    asked.every((modem) => (row.modems as readonly Modem[]).includes(modem)),
  );
  const modems = receiving && nameable ? nameable.modems : asked;
  if (media !== 't38') return audioImageModems(modems);
  const rates = RATE_FALLBACK_ORDER.filter((rate) => modems.includes(rate.modem));
  return { modems: new Set(modems), bitRates: new Set(rates.map((rate) => rate.bitRate)) };
}

/** What this station offers: its modems, the chosen codings, and for a sender only what its pages are. */
function capabilities(
  options: Pick<FaxStationOptions, 'pages' | 'compression' | 'ecm'>,
  offered: Pick<Dis, 'modems' | 'bitRates'>,
): Dis {
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
    ...offered,
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
  const { pages, role } = options;
  const media = options.media ?? 't38';
  const report = new CallReport(media);
  const sink = new PageDocumentSink(options.storePage);
  const session = new T30Session({
    role,
    direction: pages ? 'send' : 'receive',
    capabilities: capabilities(
      { pages, ecm: options.ecm, compression: options.compression },
      modemsFor(media, options.modems ?? ALL_MODEMS, !pages),
    ),
    ident: options.ident,
    ...(pages ? { source: new PageDocumentSource(pages, options.recordConfirmed !== undefined) } : { sink }),
  });
  const onEvent = (event: T30Event) => {
    report.take(event);
    options.onEvent?.(event, report);
  };
  if (media !== 't38') {
    // RFC 3550 §5.1: random SSRC and starting sequence number and timestamp.
    const station = new RtpFaxStation(session, {
      role,
      selection: AUDIO_CODECS[media],
      ssrc: randomInt(2 ** 32),
      firstSequenceNumber: randomInt(2 ** 16),
      firstTimestamp: randomInt(2 ** 32),
      onEvent,
    });
    return { station, report, sink };
  }
  const station = new T38Station(session, {
    role,
    redundancy: options.redundancy,
    ...(options.version !== undefined && { version: options.version }),
    ...(options.maxDatagramSize !== undefined && { maxDatagramSize: options.maxDatagramSize }),
    ...(options.chunkMs !== undefined && { chunkMs: options.chunkMs }),
    onEvent,
  });
  return { station, report, sink };
}
