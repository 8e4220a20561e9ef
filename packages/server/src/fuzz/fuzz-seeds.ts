// Seed corpora for the fuzzer, made at run start from the repository's own fixtures the way its tests make them: the
// ITU charts coded in each scheme and written as TIFF and PDF, the datagrams of a T.38 call between two stations, the
// SIP messages of a call between two user agents, RTP packets and V.21 bursts of the T.30 frames of that call.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type BilevelPage,
  type Compression,
  createSdpOffer,
  DEFAULT_T38_CAPABILITIES,
  decodeIfpPacket,
  decodeUdptlPacket,
  encodePage,
  encodeSdp,
  encodeSipMessage,
  PageDocumentSource,
  pageFromRows,
  RtpPacketiser,
  T30Session,
  T38Station,
  writeFaxPdf,
  writeTiffClassF,
} from '@faxd/protocol';
import { encodeV21Burst } from '@faxd/protocol/modem/v21/v21-hdlc';
import { V21Modulator } from '@faxd/protocol/modem/v21/v21-modulator';
import { simplePdf, tiffDeclaring } from '@faxd/protocol/testing/hostile-documents';
import { ituChartPath, repoRoot } from '@faxd/protocol/testing/paths';
import { readPbm } from '@faxd/protocol/testing/pbm';
import { Link } from '@faxd/protocol/testing/sip-call-link';
import { g3Capabilities } from '@faxd/protocol/testing/t30-capabilities';
import { CodecDocumentSink } from '@faxd/protocol/testing/t30-codec-documents';
import { T38Link } from '@faxd/protocol/testing/t38-link';

const ROWS = 32;

/** Bands of 32 rows from ITU charts 1, 4 and 7: their text, drawings and halftone, small enough to decode fast. */
export function chartBands(): BilevelPage[] {
  const bands: BilevelPage[] = [];
  for (const n of [1, 4, 7]) {
    const chart = readPbm(ituChartPath(n));
    for (const top of [300, 1100]) {
      const rows = chart.data.slice(chart.stride * top, chart.stride * (top + ROWS));
      bands.push(pageFromRows({ ...chart, height: ROWS }, rows));
    }
  }
  return bands;
}

/** A page's width as two bytes in front of its coded data: the codec targets read the width the same way. */
export function withWidth(width: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(2 + data.length);
  out[0] = width >> 8;
  out[1] = width & 0xff;
  out.set(data, 2);
  return out;
}

export function codedPages(compression: Compression): Uint8Array[] {
  return chartBands().flatMap((page) => [
    withWidth(page.width, encodePage(page, { compression })),
    withWidth(page.width, encodePage(page, { compression, byteAlignEol: true, endOfPage: false })),
  ]);
}

export function tiffFiles(): Uint8Array[] {
  const bands = chartBands();
  const files = (['mh', 'mr', 'mmr', 'none'] as const).flatMap((compression) => [
    writeTiffClassF(bands.slice(0, 2), { compression }),
    writeTiffClassF(bands.slice(2, 3), { compression, fillOrder: 2, photometric: compression === 'none' ? 1 : 0 }),
  ]);
  return [...files, tiffDeclaring(2, 1728, 40)];
}

export function pdfFiles(): Uint8Array[] {
  const band = chartBands()[0];
  const faxPdf = writeFaxPdf([{ ...band, mmrData: encodePage(band, { compression: 'mmr' }) }]);
  const drawing = '0.5 w 72 72 m 500 700 l S 100 100 200 50 re f BT /F1 24 Tf 72 760 Td (Fax) Tj ET';
  return [
    new Uint8Array(readFileSync(join(repoRoot(), 'samples', 'letter.pdf'))),
    simplePdf(1),
    simplePdf(2, drawing),
    faxPdf,
  ];
}

/** Every datagram of a one-page T.38 call with ECM, both ways in the order sent: UDPTL carrying every kind of IFP. */
function t38Wire(): Uint8Array[] {
  const band = chartBands()[4];
  const page = pageFromRows({ ...band, height: 200 }, new Uint8Array(band.stride * 200).fill(0x0f));
  const sending = new T30Session({
    role: 'calling',
    direction: 'send',
    capabilities: g3Capabilities({ widths: new Set(['a4']) }),
    ident: 'SENDER',
    source: new PageDocumentSource([page]),
  });
  const receiving = new T30Session({
    role: 'answering',
    direction: 'receive',
    capabilities: g3Capabilities(),
    ident: 'RECEIVER',
    sink: new CodecDocumentSink(),
  });
  const link = new T38Link(
    new T38Station(sending, { role: 'calling' }),
    new T38Station(receiving, { role: 'answering' }),
    { latencyMs: 30 },
  );
  link.run();
  return link.wire.map(({ datagram }) => datagram);
}

export function t38Datagrams(): Uint8Array[] {
  return distinct(t38Wire());
}

/** The primary IFPs of the T.38 call's datagrams. */
export function ifpPackets(): Uint8Array[] {
  return distinct(t38Datagrams().map((datagram) => decodeUdptlPacket(datagram).primary));
}

/** The T.30 frames the stations of the T.38 call sent over V.21 (DIS, CSI, DCS, TSI, CFR, MCF…), without FCS. */
export function t30Frames(): Uint8Array[] {
  const frames: Uint8Array[] = [];
  let frame: number[] = [];
  for (const datagram of t38Wire()) {
    const packet = decodeIfpPacket(decodeUdptlPacket(datagram).primary);
    if (packet.type !== 't30-data' || packet.dataType !== 'v21') continue;
    for (const field of packet.fields) {
      if (field.fieldType === 'hdlc-data' && field.data) frame.push(...field.data);
      if (field.fieldType === 'hdlc-fcs-OK' || field.fieldType === 'hdlc-fcs-OK-sig-end') {
        frames.push(Uint8Array.from(frame));
        frame = [];
      }
    }
  }
  return distinct(frames);
}

/** Each T.30 frame as a short V.21 burst (10 flags before it), as 16-bit little-endian samples at 8000 Hz. */
export function v21Bursts(): Uint8Array[] {
  return t30Frames().map((frame) => {
    const modulator = new V21Modulator();
    modulator.send(encodeV21Burst([frame], { preambleFlags: 10 }));
    const samples = new Int16Array(Math.ceil((modulator.pendingBits() * 80) / 3) + 160);
    const length = modulator.modulate(samples);
    return new Uint8Array(samples.buffer, 0, length * 2).slice();
  });
}

/** RTP packets (20 ms, PCMU and PCMA) of the V.21 bursts, as a gateway would carry a fax call's answer in audio. */
export function rtpPackets(): Uint8Array[] {
  const packets: Uint8Array[] = [];
  for (const [codec, payloadType] of [
    ['PCMU', 0],
    ['PCMA', 8],
  ] as const) {
    const packetiser = new RtpPacketiser({
      selection: { codec, payloadType },
      ssrc: 0x1234_5678,
      firstSequenceNumber: 65_530,
      firstTimestamp: 0xffff_ff00,
    });
    for (const burst of v21Bursts().slice(0, 3)) {
      packets.push(...packetiser.push(new Int16Array(burst.buffer, burst.byteOffset, burst.length / 2)));
    }
  }
  return packets;
}

/** Every SIP message of a call placed, answered with T.38, and hung up between two user agents. */
export function sipMessages(): Uint8Array[] {
  const messages: Uint8Array[] = [];
  class RecordingLink extends Link {
    override deliver(to: 'caller' | 'callee', message: Parameters<Link['deliver']>[1]): void {
      messages.push(encodeSipMessage(message));
      super.deliver(to, message);
    }
  }
  const link = new RecordingLink();
  link.dial();
  link.run(2_000);
  if (link.caller) link.take('caller', link.caller.hangUp(link.now));
  link.run(40_000);
  return distinct([...messages, ...HANDWRITTEN_SIP.map((text) => new TextEncoder().encode(text))]);
}

/** Messages a call between our own agents never sends: a digest challenge and answer, compact headers, folding. */
const HANDWRITTEN_SIP = [
  'SIP/2.0 401 Unauthorized\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1\r\nFrom: <sip:fax@pbx.example>;tag=a\r\n' +
    'To: <sip:fax@pbx.example>;tag=b\r\nCall-ID: r1@192.0.2.1\r\nCSeq: 1 REGISTER\r\n' +
    'WWW-Authenticate: Digest realm="pbx", nonce="abc", qop="auth,auth-int", algorithm=SHA-256, opaque="x"\r\n' +
    'Content-Length: 0\r\n\r\n',
  'REGISTER sip:pbx.example SIP/2.0\r\nv: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK2;rport\r\nf: <sip:fax@pbx.example>;tag=a\r\n' +
    't: <sip:fax@pbx.example>\r\ni: r1@192.0.2.1\r\nCSeq: 2 REGISTER\r\nMax-Forwards: 70\r\n' +
    'Authorization: Digest username="fax", realm="pbx", nonce="abc", uri="sip:pbx.example",\r\n response="0123", qop=auth, nc=00000001, cnonce="c"\r\n' +
    'm: <sip:fax@192.0.2.1:5060;transport=tcp>;expires=3600\r\nl: 0\r\n\r\n',
];

/** The SDP bodies of the call's messages, and an offer of both T.38 and audio. */
export function sdpBodies(): Uint8Array[] {
  const bodies: Uint8Array[] = [];
  for (const message of sipMessages()) {
    const text = new TextDecoder('latin1').decode(message);
    const start = text.indexOf('\r\n\r\n') + 4;
    if (start >= 4 && start < message.length) bodies.push(message.subarray(start));
  }
  const offer = createSdpOffer({
    origin: {
      username: '-',
      sessionId: '1',
      sessionVersion: '1',
      netType: 'IN',
      addrType: 'IP4',
      address: '192.0.2.1',
    },
    address: '192.0.2.1',
    t38: { port: 40_000, capabilities: DEFAULT_T38_CAPABILITIES },
    audio: { port: 40_002, capabilities: { codecs: ['PCMU', 'PCMA'], telephoneEvent: true } },
  });
  return distinct([...bodies, encodeSdp(offer)]);
}

function distinct(inputs: readonly Uint8Array[]): Uint8Array[] {
  const seen = new Map<string, Uint8Array>();
  for (const input of inputs) seen.set(Buffer.from(input).toString('base64'), input);
  return [...seen.values()];
}

export type { Compression };
