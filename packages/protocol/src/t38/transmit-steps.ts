// The IFP packets of one T.30 transmission and the line time after each (T.38 §6.2, §8.3): how a paced terminal sends.
//
// A transmission is its training indicator, the data cut into chunks that each take `chunkMs` of line time, an end
// marker and a no-signal indicator. Indicators and end markers go out three times, data once (SpanDSP's defaults),
// since a lost indicator or end costs a whole exchange while a lost chunk is recovered from UDPTL redundancy.

import type { LineModem, PageDataReader } from '../t30/front-end.js';
import type { IfpField, IfpPacket, T30Indicator } from './ifp-packet.js';
import { chunkOctets, dataTypeOf, lineMs, trainingIndicatorOf, trainingMs } from './modem-signals.js';

/** Send `packet` `repeats` times now, then wait `waitMs` before the next step. */
export interface TransmitStep {
  readonly packet: IfpPacket;
  readonly repeats: number;
  readonly waitMs: number;
}

export const INDICATOR_REPEATS = 3;
export const END_REPEATS = 3;
/** HDLC carries the FCS and a closing flag after the data; T.38 replaces them with a field but not their time. */
const HDLC_TRAILER_OCTETS = 3;

export function indicatorStep(indicator: T30Indicator, waitMs: number): TransmitStep {
  return { packet: { type: 't30-indicator', indicator }, repeats: INDICATOR_REPEATS, waitMs };
}

function dataStep(modem: LineModem, fields: IfpField[], repeats: number, waitMs: number): TransmitStep {
  return { packet: { type: 't30-data', dataType: dataTypeOf(modem), fields }, repeats, waitMs };
}

function* training(modem: LineModem, longTraining: boolean): Generator<TransmitStep> {
  yield indicatorStep(trainingIndicatorOf(modem, longTraining), trainingMs(modem, longTraining));
}

/** A burst of HDLC frames: each frame in chunks of hdlc-data, closed by hdlc-fcs-OK, the last by fcs-OK-sig-end. */
export function* hdlcSteps(
  modem: LineModem,
  frames: readonly Uint8Array[],
  longTraining: boolean,
  chunkMs: number,
): Generator<TransmitStep> {
  yield* training(modem, longTraining);
  const size = chunkOctets(modem.bitRate, chunkMs);
  for (let f = 0; f < frames.length; f++) {
    const frame = frames[f] as Uint8Array;
    for (let offset = 0; offset < frame.length; offset += size) {
      const chunk = frame.slice(offset, offset + size);
      yield dataStep(modem, [{ fieldType: 'hdlc-data', data: chunk }], 1, lineMs(chunk.length, modem.bitRate));
    }
    const final = f === frames.length - 1;
    const end = final ? 'hdlc-fcs-OK-sig-end' : 'hdlc-fcs-OK';
    yield dataStep(modem, [{ fieldType: end }], final ? END_REPEATS : 1, lineMs(HDLC_TRAILER_OCTETS, modem.bitRate));
  }
  yield indicatorStep('no-signal', 0);
}

/** Non-ECM octets pulled from `read` one chunk at a time, so the reader is drained at the modem's bit rate. */
function* nonEcmSteps(
  modem: LineModem,
  read: (maxOctets: number) => Uint8Array,
  longTraining: boolean,
  chunkMs: number,
): Generator<TransmitStep> {
  yield* training(modem, longTraining);
  const size = chunkOctets(modem.bitRate, chunkMs);
  for (let chunk = read(size); chunk.length > 0; chunk = read(size)) {
    const data = chunk.slice();
    yield dataStep(modem, [{ fieldType: 't4-non-ecm-data', data }], 1, lineMs(data.length, modem.bitRate));
  }
  yield dataStep(modem, [{ fieldType: 't4-non-ecm-sig-end' }], END_REPEATS, 0);
  yield indicatorStep('no-signal', 0);
}

/** TCF: zeros for `durationMs` on the image modem, after its long training (T.30 §5.3.2 f). */
export function tcfSteps(modem: LineModem, durationMs: number, chunkMs: number): Generator<TransmitStep> {
  let remaining = Math.round((modem.bitRate * durationMs) / 8000);
  const read = (maxOctets: number): Uint8Array => {
    const octets = Math.min(remaining, maxOctets);
    remaining -= octets;
    return new Uint8Array(octets);
  };
  return nonEcmSteps(modem, read, true, chunkMs);
}

export function imageSteps(
  modem: LineModem,
  data: PageDataReader,
  longTraining: boolean,
  chunkMs: number,
): Generator<TransmitStep> {
  return nonEcmSteps(modem, (maxOctets) => data.read(maxOctets), longTraining, chunkMs);
}
