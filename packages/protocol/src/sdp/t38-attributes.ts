// The T.38 SDP attributes of an `m=image PORT udptl t38` stream (T.38 Annex D.2.3, RFC 4612 registrations).
import { DecodeError } from '../bits/decode-error.js';
import { findSdpAttribute, type SdpAttribute } from './sdp.js';

export type T38RateManagement = 'localTCF' | 'transferredTCF';
/** T38FaxUdpEC values; an absent attribute means no error correction. */
export type T38UdpErrorCorrection = 't38UDPRedundancy' | 't38UDPFEC' | 'none';

export interface T38Parameters {
  /** T38FaxVersion, 0 when absent (Annex D.2.3). */
  readonly version: number;
  /** T38MaxBitRate in bit/s. */
  readonly maxBitRate?: number;
  readonly rateManagement?: T38RateManagement;
  /** T38FaxMaxBuffer: octets the sender of this SDP can buffer. */
  readonly maxBuffer?: number;
  /** T38FaxMaxDatagram: the largest UDPTL datagram the sender of this SDP accepts. */
  readonly maxDatagram?: number;
  readonly errorCorrection: T38UdpErrorCorrection;
  readonly fillBitRemoval: boolean;
  readonly transcodingMmr: boolean;
  readonly transcodingJbig: boolean;
}

const RATE_MANAGEMENT: readonly T38RateManagement[] = ['localTCF', 'transferredTCF'];
const ERROR_CORRECTION: readonly T38UdpErrorCorrection[] = ['t38UDPRedundancy', 't38UDPFEC', 'none'];

/**
 * Reads the T.38 attributes of a media section. Names and enumerated values are matched in any letter case, and the
 * boolean attributes accept both the Annex D flag form (`a=T38FaxFillBitRemoval`) and the `:0`/`:1` form Asterisk and
 * others send. A value that is not a number or not a known keyword throws DecodeError.
 */
export function decodeT38Parameters(attributes: readonly SdpAttribute[]): T38Parameters {
  const version = decodeNumber(attributes, 'T38FaxVersion');
  const maxBitRate = decodeNumber(attributes, 'T38MaxBitRate');
  const maxBuffer = decodeNumber(attributes, 'T38FaxMaxBuffer');
  const maxDatagram = decodeNumber(attributes, 'T38FaxMaxDatagram');
  const rateManagement = decodeKeyword(attributes, 'T38FaxRateManagement', RATE_MANAGEMENT);
  return {
    version: version ?? 0,
    ...(maxBitRate !== undefined && { maxBitRate }),
    ...(rateManagement !== undefined && { rateManagement }),
    ...(maxBuffer !== undefined && { maxBuffer }),
    ...(maxDatagram !== undefined && { maxDatagram }),
    errorCorrection: decodeKeyword(attributes, 'T38FaxUdpEC', ERROR_CORRECTION) ?? 'none',
    fillBitRemoval: decodeFlag(attributes, 'T38FaxFillBitRemoval'),
    transcodingMmr: decodeFlag(attributes, 'T38FaxTranscodingMMR'),
    transcodingJbig: decodeFlag(attributes, 'T38FaxTranscodingJBIG'),
  };
}

function decodeNumber(attributes: readonly SdpAttribute[], name: string): number | undefined {
  const attribute = findSdpAttribute(attributes, name);
  if (attribute === undefined) return undefined;
  const value = attribute.value?.trim() ?? '';
  if (!/^[0-9]{1,9}$/.test(value)) throw new DecodeError(`Bad ${name} value`, 0);
  return Number(value);
}

function decodeKeyword<T extends string>(
  attributes: readonly SdpAttribute[],
  name: string,
  keywords: readonly T[],
): T | undefined {
  const attribute = findSdpAttribute(attributes, name);
  if (attribute === undefined) return undefined;
  const value = attribute.value?.trim().toLowerCase();
  const keyword = keywords.find((candidate) => candidate.toLowerCase() === value);
  if (keyword === undefined) throw new DecodeError(`Bad ${name} value`, 0);
  return keyword;
}

function decodeFlag(attributes: readonly SdpAttribute[], name: string): boolean {
  const attribute = findSdpAttribute(attributes, name);
  if (attribute === undefined) return false;
  const value = attribute.value?.trim().toLowerCase();
  if (value === undefined || value === '' || value === '1' || value === 'true') return true;
  if (value === '0' || value === 'false') return false;
  throw new DecodeError(`Bad ${name} value`, 0);
}

/** Writes the attributes with Annex D spellings; true booleans as bare flags, false ones left out (Annex D.2.3). */
export function encodeT38Attributes(parameters: T38Parameters): SdpAttribute[] {
  const attributes: SdpAttribute[] = [{ name: 'T38FaxVersion', value: String(parameters.version) }];
  if (parameters.maxBitRate !== undefined)
    attributes.push({ name: 'T38MaxBitRate', value: String(parameters.maxBitRate) });
  if (parameters.fillBitRemoval) attributes.push({ name: 'T38FaxFillBitRemoval' });
  if (parameters.transcodingMmr) attributes.push({ name: 'T38FaxTranscodingMMR' });
  if (parameters.transcodingJbig) attributes.push({ name: 'T38FaxTranscodingJBIG' });
  if (parameters.rateManagement !== undefined) {
    attributes.push({ name: 'T38FaxRateManagement', value: parameters.rateManagement });
  }
  if (parameters.maxBuffer !== undefined)
    attributes.push({ name: 'T38FaxMaxBuffer', value: String(parameters.maxBuffer) });
  if (parameters.maxDatagram !== undefined) {
    attributes.push({ name: 'T38FaxMaxDatagram', value: String(parameters.maxDatagram) });
  }
  if (parameters.errorCorrection !== 'none') {
    attributes.push({ name: 'T38FaxUdpEC', value: parameters.errorCorrection });
  }
  return attributes;
}
