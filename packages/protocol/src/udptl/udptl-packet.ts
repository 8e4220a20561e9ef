// The UDPTL packet (T.38 Annex A UDPTLPacket, aligned PER): sequence number, primary IFP, redundancy or FEC recovery.
import { DecodeError } from '../bits/decode-error.js';
import { lengthDeterminantSize, PerReader, PerWriter } from '../bits/per.js';

/**
 * Secondaries are earlier IFPs, newest first (secondaries[0] has seqNumber − 1). FEC entries are XORs of IFP groups;
 * we decode their structure but repair nothing from them: receivers use the primary and ignore FEC (as peers that
 * never send FEC, SpanDSP harnesses and Asterisk's default, leave it unused).
 */
export type UdptlErrorRecovery =
  | { type: 'redundancy'; secondaries: Uint8Array[] }
  | { type: 'fec'; fecNpackets: number; fecData: Uint8Array[] };

export interface UdptlPacket {
  seqNumber: number;
  /** The IFP octets, undecoded: their layout depends on the negotiated T.38 version, which UDPTL does not know. */
  primary: Uint8Array;
  errorRecovery: UdptlErrorRecovery;
}

const REDUNDANCY_CHOICE = 0x00;
const FEC_CHOICE = 0x80;

export function encodeUdptlPacket(packet: UdptlPacket): Uint8Array {
  if (!Number.isInteger(packet.seqNumber) || packet.seqNumber < 0 || packet.seqNumber > 0xffff) {
    throw new RangeError(`UDPTL seq-number ${packet.seqNumber} is not 0..65535`);
  }
  const out = new PerWriter();
  out.octet(packet.seqNumber >> 8);
  out.octet(packet.seqNumber);
  out.openType(packet.primary);
  const recovery = packet.errorRecovery;
  if (recovery.type === 'redundancy') {
    out.octet(REDUNDANCY_CHOICE);
    out.lengthDeterminant(recovery.secondaries.length);
    for (const secondary of recovery.secondaries) out.openType(secondary);
  } else {
    if (!Number.isInteger(recovery.fecNpackets) || recovery.fecNpackets < 0 || recovery.fecNpackets > 0xff) {
      throw new RangeError(`fec-npackets ${recovery.fecNpackets} is not 0..255`);
    }
    out.octet(FEC_CHOICE);
    // fec-npackets is an unconstrained INTEGER: a length octet, then two's-complement octets, so 128..255 need a
    // leading zero octet to stay positive.
    if (recovery.fecNpackets >= 0x80) {
      out.octet(2);
      out.octet(0);
    } else out.octet(1);
    out.octet(recovery.fecNpackets);
    out.lengthDeterminant(recovery.fecData.length);
    for (const entry of recovery.fecData) out.openType(entry);
  }
  return out.finish();
}

export function decodeUdptlPacket(bytes: Uint8Array): UdptlPacket {
  const reader = new PerReader(bytes);
  const seqNumber = (reader.octet('UDPTL seq-number') << 8) | reader.octet('UDPTL seq-number');
  const primary = reader.openType('primary-ifp-packet');
  const choiceOffset = reader.offset;
  const choice = reader.octet('error-recovery');
  let errorRecovery: UdptlErrorRecovery;
  if (choice === REDUNDANCY_CHOICE) {
    errorRecovery = { type: 'redundancy', secondaries: readOpenTypes(reader, 'secondary-ifp-packets') };
  } else if (choice === FEC_CHOICE) {
    const integerLength = reader.lengthDeterminant('fec-npackets');
    if (integerLength < 1 || integerLength > 4) {
      throw new DecodeError(`fec-npackets of ${integerLength} octets`, reader.offset - 1);
    }
    let fecNpackets = 0;
    for (let i = 0; i < integerLength; i++) fecNpackets = fecNpackets * 256 + reader.octet('fec-npackets');
    errorRecovery = { type: 'fec', fecNpackets, fecData: readOpenTypes(reader, 'fec-data') };
  } else throw new DecodeError(`error-recovery choice octet 0x${choice.toString(16)}`, choiceOffset);
  reader.expectEnd('UDPTL packet');
  return { seqNumber, primary, errorRecovery };
}

function readOpenTypes(reader: PerReader, what: string): Uint8Array[] {
  const count = reader.lengthDeterminant(what);
  const items: Uint8Array[] = [];
  for (let i = 0; i < count; i++) items.push(reader.openType(what));
  return items;
}

/** Size of a redundancy-mode datagram, so the sender can drop secondaries without encoding repeatedly. */
export function redundancyPacketSize(primary: Uint8Array, secondaries: readonly Uint8Array[]): number {
  let size = 2 + lengthDeterminantSize(primary.length) + primary.length + 1 + lengthDeterminantSize(secondaries.length);
  for (const secondary of secondaries) size += lengthDeterminantSize(secondary.length) + secondary.length;
  return size;
}
