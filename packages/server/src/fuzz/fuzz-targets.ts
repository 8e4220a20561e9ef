// The decoders faxd runs on bytes from outside, each as a fuzz target: its seed corpus, how one input is decoded the
// way faxd decodes it, and which errors are the decoder refusing bad input (anything else it throws is a crash).
import {
  answerSdpOffer,
  type Compression,
  DEFAULT_T38_CAPABILITIES,
  DecodeError,
  decodeDigestChallenge,
  decodeDigestCredentials,
  decodeG711,
  decodeIfpPacket,
  decodePage,
  decodeRtpPacket,
  decodeSdp,
  decodeSipMessage,
  decodeUdptlPacket,
  headerValues,
  readTiff,
  SipStreamFramer,
  UdptlReceiver,
} from '@faxd/protocol';
import { V21HdlcReceiver } from '@faxd/protocol/modem/v21/v21-hdlc';
import { DocumentError } from '../render/document-error.js';
import { PdfPages } from '../render/pdf-pages.js';
import { compilePdfium, instantiatePdfium, type Pdfium } from '../render/pdfium-library.js';
import {
  codedPages,
  ifpPackets,
  pdfFiles,
  rtpPackets,
  sdpBodies,
  sipMessages,
  t38Datagrams,
  tiffFiles,
  v21Bursts,
} from './fuzz-seeds.js';
import { httpFuzzTarget } from './http-fuzz-target.js';

/** One decoder under test, set up once per worker thread. */
export interface FuzzHarness {
  /** The seed corpus, made from the repository's fixtures (or, for the HTTP API, from the server's own routes). */
  readonly seeds: readonly Uint8Array[];
  /** Decodes one input as faxd does; returns, throws, or (for the HTTP API) settles. */
  run(input: Uint8Array): void | Promise<void>;
  close?(): Promise<void>;
}

export interface FuzzTarget {
  readonly name: string;
  /** What is fuzzed, for the report. */
  readonly what: string;
  /** Inputs are cut to this length: about what the transport carries at most. */
  readonly maxBytes: number;
  readonly dictionary?: readonly string[];
  start(): FuzzHarness | Promise<FuzzHarness>;
  /** True for the typed errors the decoder throws on bad input; anything else it throws is a crash. */
  expected(error: unknown): boolean;
}

const isDecodeError = (error: unknown) => error instanceof DecodeError;
const SIP_WORDS = ['\r\n', '\r\n\r\n', ':', ';', ',', '<', '>', '"', '\\', ' SIP/2.0', 'Content-Length: ', '\r\n '];

/** Rows a codec target decodes at most: enough for every seed band, few enough that noise stays cheap. */
const CODEC_MAX_ROWS = 256;

function codecTarget(compression: Compression): FuzzTarget {
  return {
    name: compression,
    what: `${compression.toUpperCase()} page decoder (width from the first two bytes)`,
    maxBytes: 16_384,
    start: () => ({
      seeds: codedPages(compression),
      run(input) {
        const width = ((input[0] ?? 0) << 8) | (input[1] ?? 0);
        decodePage(input.subarray(2), { compression, width, maxRows: CODEC_MAX_ROWS });
      },
    }),
    expected: isDecodeError,
  };
}

/**
 * Pages drawn from a fuzzed PDF at a tenth of the fax resolution: PDFium parses all the same, and draws fast. The
 * width is a multiple of 32, as the halftone screen wants of any page it is given.
 */
const SMALL_PAGE = { width: 192, height: 256, xResolution: 20.4, yResolution: 19.6 };
const MAX_PDF_PAGES = 3;

function pdfHarness(): Promise<FuzzHarness> {
  let pdfium: Pdfium | undefined;
  const fresh = async () => {
    pdfium = await instantiatePdfium(await compilePdfium());
    return pdfium;
  };
  const draw = (library: Pdfium, input: Uint8Array) => {
    const pdf = PdfPages.open(library, input, SMALL_PAGE);
    try {
      for (let index = 0; index < Math.min(pdf.count, MAX_PDF_PAGES); index++) pdf.draw(index);
    } finally {
      pdf.close();
    }
  };
  return fresh().then(() => ({
    seeds: pdfFiles(),
    run(input) {
      // After a crash inside PDFium its heap may be broken: the next input gets a new instance.
      if (!pdfium) return fresh().then((library) => draw(library, input));
      try {
        draw(pdfium, input);
      } catch (error) {
        if (!(error instanceof DocumentError)) pdfium = undefined;
        throw error;
      }
    },
  }));
}

const SDP_ANSWERER = {
  origin: { username: '-', sessionId: '1', sessionVersion: '1', netType: 'IN', addrType: 'IP4', address: '192.0.2.1' },
  address: '192.0.2.1',
} as const;
const AUDIO_CAPABILITIES = { codecs: ['PCMA', 'PCMU'], telephoneEvent: true } as const;

/** 16-bit little-endian samples from bytes, an odd last byte dropped. */
function samplesOf(input: Uint8Array): Int16Array {
  const samples = new Int16Array(input.length >> 1);
  for (let i = 0; i < samples.length; i++) samples[i] = input[2 * i] | (input[2 * i + 1] << 8);
  return samples;
}

export const FUZZ_TARGETS: readonly FuzzTarget[] = [
  {
    name: 'tiff',
    what: 'TIFF reader (directories, strips, every page decoded)',
    maxBytes: 65_536,
    start: () => ({ seeds: tiffFiles(), run: (input) => void readTiff(input) }),
    expected: isDecodeError,
  },
  codecTarget('mh'),
  codecTarget('mr'),
  codecTarget('mmr'),
  {
    name: 'pdf',
    what: 'PDF input path (PDFium open, page tree, first pages drawn and screened)',
    maxBytes: 65_536,
    dictionary: ['obj', 'endobj', 'stream\n', 'endstream', '<<', '>>', '/Kids', '/Count', '/Length', 'xref', ' R', '('],
    start: pdfHarness,
    expected: (error) => error instanceof DocumentError,
  },
  {
    name: 'ifp',
    what: 'T.38 IFP packets (T.38 versions 0 and 3)',
    maxBytes: 1_500,
    start: () => ({
      seeds: ifpPackets(),
      run(input) {
        try {
          decodeIfpPacket(input);
        } catch (error) {
          if (!isDecodeError(error)) throw error;
        }
        decodeIfpPacket(input, { version: 3 });
      },
    }),
    expected: isDecodeError,
  },
  {
    name: 'udptl',
    what: 'UDPTL packets and the receiver putting their IFPs back in order',
    maxBytes: 1_500,
    start: () => ({
      seeds: t38Datagrams(),
      run(input) {
        decodeUdptlPacket(input);
        const receiver = new UdptlReceiver();
        receiver.receive(input);
        receiver.flush();
      },
    }),
    expected: isDecodeError,
  },
  {
    name: 'sip',
    what: 'SIP message parser (with digest challenges and credentials)',
    maxBytes: 65_535,
    dictionary: SIP_WORDS,
    start: () => ({
      seeds: sipMessages(),
      run(input) {
        const message = decodeSipMessage(input);
        for (const name of ['WWW-Authenticate', 'Proxy-Authenticate']) {
          for (const value of headerValues(message.headers, name)) decodeDigestChallenge(value);
        }
        for (const name of ['Authorization', 'Proxy-Authorization']) {
          for (const value of headerValues(message.headers, name)) decodeDigestCredentials(value);
        }
      },
    }),
    expected: isDecodeError,
  },
  {
    name: 'sip-stream',
    what: 'SIP stream framer (TCP/TLS), chunked by the first byte, then each message parsed',
    maxBytes: 65_535,
    dictionary: SIP_WORDS,
    start: () => ({
      seeds: sipMessages(),
      run(input) {
        const framer = new SipStreamFramer();
        const chunk = 1 + (input[0] ?? 0);
        for (let at = 0; at < input.length; at += chunk) {
          for (const message of framer.receive(input.subarray(at, at + chunk))) decodeSipMessage(message);
        }
      },
    }),
    expected: isDecodeError,
  },
  {
    name: 'sdp',
    what: 'SDP parser and the answer to it as an offer (T.38 and audio)',
    maxBytes: 16_384,
    dictionary: ['\r\n', 'm=image ', 'm=audio ', 'a=T38Fax', 'a=rtpmap:', 'udptl t38', 'RTP/AVP ', 'c=IN IP4 '],
    start: () => ({
      seeds: sdpBodies(),
      run(input) {
        // Answered as a T.38-only line and as an audio-only one, so both branches of the answer read the offer.
        const offer = decodeSdp(input);
        answerSdpOffer(offer, { ...SDP_ANSWERER, t38: { port: 40_000, capabilities: DEFAULT_T38_CAPABILITIES } });
        answerSdpOffer(offer, { ...SDP_ANSWERER, audio: { port: 40_002, capabilities: AUDIO_CAPABILITIES } });
      },
    }),
    expected: isDecodeError,
  },
  {
    name: 'rtp',
    what: 'RTP packets and their G.711 payloads',
    maxBytes: 1_500,
    start: () => ({
      seeds: rtpPackets(),
      run(input) {
        const packet = decodeRtpPacket(input);
        decodeG711(packet.payloadType === 8 ? 'PCMA' : 'PCMU', packet.payload);
      },
    }),
    expected: isDecodeError,
  },
  {
    name: 'v21',
    what: 'V.21 HDLC receiver on 16-bit samples, 20 ms at a time',
    maxBytes: 32_768,
    start: () => ({
      seeds: v21Bursts(),
      run(input) {
        const receiver = new V21HdlcReceiver();
        const samples = samplesOf(input);
        for (let at = 0; at < samples.length; at += 160) receiver.receive(samples.subarray(at, at + 160));
      },
    }),
    expected: isDecodeError,
  },
  httpFuzzTarget,
];

export function fuzzTarget(name: string): FuzzTarget {
  const target = FUZZ_TARGETS.find((t) => t.name === name);
  if (!target) throw new Error(`no fuzz target ${name}: ${FUZZ_TARGETS.map((t) => t.name).join(', ')}`);
  return target;
}
