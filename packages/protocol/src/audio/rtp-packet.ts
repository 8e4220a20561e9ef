// The RTP data packet (RFC 3550 §5.1): fixed header, CSRC list, header extension (§5.3.1) and padding.
import { DecodeError } from '../bits/decode-error.js';

/** RFC 3550 §5.1: the only version in use. */
const RTP_VERSION = 2;
const FIXED_HEADER_LENGTH = 12;
/** §5.3.1: the extension header's own length: 16-bit profile-defined field + 16-bit length in 32-bit words. */
const EXTENSION_HEADER_LENGTH = 4;

export interface RtpPacket {
  /** 7 bits; RFC 3551 Table 4: 0 = PCMU, 8 = PCMA, 13 = CN; 96–127 dynamic (telephone-event, as the SDP maps it). */
  readonly payloadType: number;
  /** Profile-defined; for audio (RFC 3551 §4.1) the first packet of a talk spurt. */
  readonly marker: boolean;
  /** 16 bits, +1 per packet. */
  readonly sequenceNumber: number;
  /** 32 bits, in the payload's clock (8000 Hz for G.711): the sampling instant of the first octet. */
  readonly timestamp: number;
  readonly ssrc: number;
  /** Contributing sources a mixer lists; faxd sends none. */
  readonly csrcs: readonly number[];
  /** The payload alone: header extension and padding are skipped on decode and never sent. */
  readonly payload: Uint8Array;
}

function checkField(value: number, bits: number, name: string): void {
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** bits) {
    throw new RangeError(`RTP ${name} ${value} is not a ${bits}-bit unsigned integer`);
  }
}

export function encodeRtpPacket(packet: RtpPacket): Uint8Array {
  checkField(packet.payloadType, 7, 'payload type');
  checkField(packet.sequenceNumber, 16, 'sequence number');
  checkField(packet.timestamp, 32, 'timestamp');
  checkField(packet.ssrc, 32, 'SSRC');
  if (packet.csrcs.length > 15) throw new RangeError(`RTP allows 15 CSRCs, ${packet.csrcs.length} given`);
  for (const csrc of packet.csrcs) checkField(csrc, 32, 'CSRC');
  const headerLength = FIXED_HEADER_LENGTH + 4 * packet.csrcs.length;
  const bytes = new Uint8Array(headerLength + packet.payload.length);
  writeRtpHeader(bytes, packet);
  const view = new DataView(bytes.buffer);
  packet.csrcs.forEach((csrc, i) => {
    view.setUint32(FIXED_HEADER_LENGTH + 4 * i, csrc);
  });
  bytes.set(packet.payload, headerLength);
  return bytes;
}

/** The fixed header's length, where a packet without CSRCs has its payload. */
export const RTP_HEADER_LENGTH = FIXED_HEADER_LENGTH;

/**
 * Writes the fixed header of `packet` (fields already in range, as encodeRtpPacket checks them) into bytes[0 … 11],
 * for a sender that codes its payload straight into the datagram after it: one allocation a packet.
 */
export function writeRtpHeader(bytes: Uint8Array, packet: Omit<RtpPacket, 'payload'>): void {
  const { sequenceNumber, timestamp, ssrc } = packet;
  bytes[0] = (RTP_VERSION << 6) | packet.csrcs.length;
  bytes[1] = (packet.marker ? 0x80 : 0) | packet.payloadType;
  bytes[2] = sequenceNumber >>> 8;
  bytes[3] = sequenceNumber & 0xff;
  bytes[4] = timestamp >>> 24;
  bytes[5] = (timestamp >>> 16) & 0xff;
  bytes[6] = (timestamp >>> 8) & 0xff;
  bytes[7] = timestamp & 0xff;
  bytes[8] = ssrc >>> 24;
  bytes[9] = (ssrc >>> 16) & 0xff;
  bytes[10] = (ssrc >>> 8) & 0xff;
  bytes[11] = ssrc & 0xff;
}

/**
 * Decodes one datagram. Throws DecodeError, and nothing else, for anything that is not a well-formed RTP version 2
 * packet; the payload is a view into `bytes`, not a copy.
 */
export function decodeRtpPacket(bytes: Uint8Array): RtpPacket {
  if (bytes.length < FIXED_HEADER_LENGTH) {
    throw new DecodeError(`RTP packet of ${bytes.length} bytes is shorter than the 12-byte header`, 0);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const first = view.getUint8(0);
  const version = first >> 6;
  if (version !== RTP_VERSION) throw new DecodeError(`RTP version ${version}`, 0);
  const hasPadding = (first & 0x20) !== 0;
  const hasExtension = (first & 0x10) !== 0;
  const csrcCount = first & 0x0f;
  const second = view.getUint8(1);
  let offset = FIXED_HEADER_LENGTH + 4 * csrcCount;
  if (offset > bytes.length) {
    throw new DecodeError(`RTP header with ${csrcCount} CSRCs runs past the ${bytes.length}-byte packet`, 0);
  }
  const csrcs: number[] = [];
  for (let i = 0; i < csrcCount; i++) csrcs.push(view.getUint32(FIXED_HEADER_LENGTH + 4 * i));
  if (hasExtension) {
    if (offset + EXTENSION_HEADER_LENGTH > bytes.length) {
      throw new DecodeError('RTP header extension runs past the end of the packet', offset);
    }
    const words = view.getUint16(offset + 2);
    const extensionEnd = offset + EXTENSION_HEADER_LENGTH + 4 * words;
    if (extensionEnd > bytes.length) {
      throw new DecodeError(`RTP header extension of ${words} words runs past the end of the packet`, offset);
    }
    offset = extensionEnd;
  }
  let end = bytes.length;
  if (hasPadding) {
    // §5.1: the last octet counts the padding octets, itself included, so 0 is impossible.
    const padding = view.getUint8(bytes.length - 1);
    if (padding === 0 || padding > bytes.length - offset) {
      throw new DecodeError(`RTP padding of ${padding} octets after a ${offset}-byte header`, bytes.length - 1);
    }
    end -= padding;
  }
  return {
    payloadType: second & 0x7f,
    marker: (second & 0x80) !== 0,
    sequenceNumber: view.getUint16(2),
    timestamp: view.getUint32(4),
    ssrc: view.getUint32(8),
    csrcs,
    payload: bytes.subarray(offset, end),
  };
}
