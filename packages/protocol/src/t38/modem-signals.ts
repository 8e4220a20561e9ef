// How each T.30 modulation appears in T.38 (T.38 §6.2, §8.3): its training indicator, data type and training time.
import type { LineModem } from '../t30/front-end.js';
import type { T30DataType, T30Indicator } from './ifp-packet.js';

/** The IFP data type that carries octets sent with `modem`. */
export function dataTypeOf(modem: LineModem): T30DataType {
  if (modem.modem === 'v21') return 'v21';
  const rate = modem.bitRate;
  if (modem.modem === 'v27ter' && (rate === 2400 || rate === 4800)) return `v27-${rate}`;
  if (modem.modem === 'v29' && (rate === 7200 || rate === 9600)) return `v29-${rate}`;
  if (modem.modem === 'v17' && (rate === 7200 || rate === 9600 || rate === 12000 || rate === 14400)) {
    return `v17-${rate}`;
  }
  throw new RangeError(`no T.38 data type for ${modem.modem} at ${rate} bit/s`);
}

/**
 * The indicator announcing `modem`'s training. V.17 uses its long training before TCF and after a rate change and
 * the short one before later pages (V.17 §5.3, as SpanDSP does); other modems have one training sequence.
 */
export function trainingIndicatorOf(modem: LineModem, longTraining: boolean): T30Indicator {
  const type = dataTypeOf(modem);
  if (type === 'v21') return 'v21-preamble';
  if (modem.modem === 'v17') return `${type}-${longTraining ? 'long' : 'short'}-training` as T30Indicator;
  return `${type}-training` as T30Indicator;
}

/**
 * How long the training the indicator stands for lasts on an analogue line, which a paced terminal waits before the
 * first data (V.21: the 1 s flag preamble of T.30 §5.3.1; image modems: their training sequences, rounded up).
 */
export function trainingMs(modem: LineModem, longTraining: boolean): number {
  switch (modem.modem) {
    case 'v21':
      return 1000;
    case 'v27ter':
      return modem.bitRate === 2400 ? 943 : 708;
    case 'v29':
      return 234;
    default:
      return longTraining ? 1393 : 142;
  }
}

/** Line time of `octets` at `bitRate`, in milliseconds. */
export function lineMs(octets: number, bitRate: number): number {
  return (octets * 8000) / bitRate;
}

/**
 * Octets per IFP when pacing: one chunk per `chunkMs` of line time, at least one octet. At 300 bit/s and 30 ms this
 * is a single octet per IFP, which is what SpanDSP sends for V.21.
 */
export function chunkOctets(bitRate: number, chunkMs: number): number {
  return Math.max(1, Math.floor((bitRate * chunkMs) / 8000));
}
