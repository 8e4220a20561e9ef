// Offer/answer for a T.38 image stream (RFC 3264 §6 applied to the T.38 Annex D.2.3 attributes).
import type { T38Parameters, T38RateManagement, T38UdpErrorCorrection } from './t38-attributes.js';

export interface T38Capabilities {
  /** The highest T38FaxVersion this end speaks (the IFP codec handles 0–3). */
  readonly maxVersion: number;
  readonly maxBitRate: number;
  /** Our T38FaxMaxBuffer and T38FaxMaxDatagram: what we can take in. */
  readonly maxBuffer: number;
  readonly maxDatagram: number;
  /** The error-correction schemes this end can send, best first. */
  readonly errorCorrection: readonly Exclude<T38UdpErrorCorrection, 'none'>[];
}

/**
 * Version 0 is what Asterisk, FreeSWITCH and most gateways offer; 14400 bit/s is V.17's top rate; redundancy is what
 * the UDPTL sender implements and what interop reports favour over FEC.
 */
export const DEFAULT_T38_CAPABILITIES: T38Capabilities = {
  maxVersion: 0,
  maxBitRate: 14_400,
  maxBuffer: 2_000,
  maxDatagram: 1_400,
  errorCorrection: ['t38UDPRedundancy'],
};

/** What both ends agreed, for configuring the T.38 terminal and the UDPTL sender. */
export interface T38Session {
  readonly version: number;
  readonly maxBitRate: number;
  readonly rateManagement: T38RateManagement;
  readonly errorCorrection: T38UdpErrorCorrection;
  /** The far end's T38FaxMaxDatagram, made sane: never build a UDPTL datagram larger than this. */
  readonly farMaxDatagram: number;
}

/** Used when the far end declares no T38FaxMaxDatagram; the value Asterisk's sample udptl.conf uses. */
export const DEFAULT_FAR_MAX_DATAGRAM = 400;
/** Some endpoints declare absurdly small datagrams; Asterisk keeps a floor for them too rather than send nothing. */
const FAR_MAX_DATAGRAM_FLOOR = 100;
/** Larger datagrams would be fragmented on a 1500-octet path; no fax needs them. */
const FAR_MAX_DATAGRAM_CEILING = 1_400;

function farMaxDatagram(declared: number | undefined): number {
  const value = declared ?? DEFAULT_FAR_MAX_DATAGRAM;
  return Math.min(FAR_MAX_DATAGRAM_CEILING, Math.max(FAR_MAX_DATAGRAM_FLOOR, value));
}

/** The T.38 attributes of an offer from this end: transferred TCF (the UDPTL case) and our best error correction. */
export function createT38Offer(local: T38Capabilities): T38Parameters {
  return {
    version: local.maxVersion,
    maxBitRate: local.maxBitRate,
    rateManagement: 'transferredTCF',
    maxBuffer: local.maxBuffer,
    maxDatagram: local.maxDatagram,
    errorCorrection: local.errorCorrection[0] ?? 'none',
    fillBitRemoval: false,
    transcodingMmr: false,
    transcodingJbig: false,
  };
}

/**
 * Answers a T.38 offer (Annex D.2.3): the lower version and bit rate, the offered rate management echoed, the offered
 * error correction if we can send it (FEC falls back to redundancy, the weaker scheme every stack accepts), our own
 * buffer and datagram limits, and fill-bit removal and MMR/JBIG transcoding declined (they are gateway features).
 */
export function answerT38Offer(
  offer: T38Parameters,
  local: T38Capabilities,
): { answer: T38Parameters; session: T38Session } {
  const version = Math.min(offer.version, local.maxVersion);
  const maxBitRate = Math.min(offer.maxBitRate ?? local.maxBitRate, local.maxBitRate);
  const rateManagement = offer.rateManagement ?? 'transferredTCF';
  const errorCorrection = chooseErrorCorrection(offer.errorCorrection, local);
  const answer: T38Parameters = {
    version,
    maxBitRate,
    rateManagement,
    maxBuffer: local.maxBuffer,
    maxDatagram: local.maxDatagram,
    errorCorrection,
    fillBitRemoval: false,
    transcodingMmr: false,
    transcodingJbig: false,
  };
  return {
    answer,
    session: {
      version,
      maxBitRate,
      rateManagement,
      errorCorrection,
      farMaxDatagram: farMaxDatagram(offer.maxDatagram),
    },
  };
}

function chooseErrorCorrection(offered: T38UdpErrorCorrection, local: T38Capabilities): T38UdpErrorCorrection {
  if (offered === 'none') return 'none';
  if (local.errorCorrection.includes(offered)) return offered;
  return local.errorCorrection.includes('t38UDPRedundancy') ? 't38UDPRedundancy' : 'none';
}

/** The session an answer to our offer sets up; the answerer's choices stand, within what we offered. */
export function t38SessionFromAnswer(offer: T38Parameters, answer: T38Parameters): T38Session {
  return {
    version: Math.min(answer.version, offer.version),
    maxBitRate: Math.min(answer.maxBitRate ?? offer.maxBitRate ?? 14_400, offer.maxBitRate ?? 14_400),
    rateManagement: answer.rateManagement ?? offer.rateManagement ?? 'transferredTCF',
    errorCorrection: answer.errorCorrection,
    farMaxDatagram: farMaxDatagram(answer.maxDatagram),
  };
}
