// The image modems of an audio fax call (T.30 §5.3.2: V.27ter, V.29, V.17) behind the one shape the front end drives:
// a transmitter that takes line bits after its training, and a receiver that gives bits plus carrier and training
// events (audio-fax reference §5.1–§5.2).

import { V17Demodulator } from '../modem/v17/v17-demodulator.js';
import type { V17Rate } from '../modem/v17/v17-line.js';
import { V17Modulator } from '../modem/v17/v17-modulator.js';
import { V27terDemodulator } from '../modem/v27ter/v27ter-demodulator.js';
import type { V27terRate } from '../modem/v27ter/v27ter-line.js';
import { V27terModulator } from '../modem/v27ter/v27ter-modulator.js';
import { V29Demodulator } from '../modem/v29/v29-demodulator.js';
import type { V29Rate } from '../modem/v29/v29-line.js';
import { V29Modulator } from '../modem/v29/v29-modulator.js';
import type { Modem } from '../t30/frames/dis-dcs-bits.js';
import type { LineModem } from '../t30/front-end.js';

/** One burst on the line: the modem's training, the bits queued with `send`, and its shutdown once `end` is called. */
export interface ImageModulator {
  /** Line bits, one per element (0 or 1), first bit first; they go out after the training. */
  send(bits: Uint8Array): void;
  /** No more bits: the shutdown follows the last queued bit. */
  end(): void;
  /** Writes line samples from out[0]; fewer than `out.length` only once the shutdown is complete. */
  modulate(out: Int16Array): number;
}

export type ImageDemodulatorEventKind = 'carrier-up' | 'training-succeeded' | 'training-failed' | 'carrier-down';

export interface ImageDemodulatorOutput {
  /** Bits decided after a successful training, one per element, in line order. */
  readonly bits: Uint8Array;
  /** Reports in order; `bitIndex` is how many of this call's bits came before each. */
  readonly events: readonly { readonly kind: ImageDemodulatorEventKind; readonly bitIndex: number }[];
}

/** A receiver that stays armed: every carrier that comes up is trained on afresh. */
export interface ImageDemodulator {
  receive(samples: Int16Array): ImageDemodulatorOutput;
  /** Stands in for `count` lost samples: carrier and timing run on, no bits come out. */
  fillIn(count: number): void;
  /**
   * The next carrier trains long. After a burst has trained, V.17 expects the next at the same rate to train short
   * (the page after TCF); a new DCS or CTC makes the far end train long again.
   */
  trainLong(): void;
}

interface ImageModem {
  readonly bitRates: readonly number[];
  /** `longTraining` matters only for V.17, the one modem with a short training (§1.3 of the reference). */
  modulator(bitRate: number, longTraining: boolean): ImageModulator;
  demodulator(bitRate: number): ImageDemodulator;
}

const IMAGE_MODEMS: Partial<Record<Modem, ImageModem>> = {
  v17: {
    bitRates: [14400, 12000, 9600, 7200],
    modulator: (bitRate, longTraining) => new V17Modulator(bitRate as V17Rate, longTraining ? 'long' : 'short'),
    demodulator: (bitRate) => new V17Demodulator(bitRate as V17Rate),
  },
  v27ter: {
    bitRates: [4800, 2400],
    modulator: (bitRate) => new V27terModulator(bitRate as V27terRate),
    demodulator: (bitRate) => new V27terDemodulator(bitRate as V27terRate),
  },
  v29: {
    bitRates: [9600, 7200],
    modulator: (bitRate) => new V29Modulator(bitRate as V29Rate),
    demodulator: (bitRate) => new V29Demodulator(bitRate as V29Rate),
  },
};

/** The image modems faxd can run on audio and their bit rates, for the DIS it offers on such a call. */
export function audioImageModems(only?: readonly Modem[]): { modems: Set<Modem>; bitRates: Set<number> } {
  const modems = (Object.keys(IMAGE_MODEMS) as Modem[]).filter((modem) => !only || only.includes(modem));
  return { modems: new Set(modems), bitRates: new Set(modems.flatMap((modem) => IMAGE_MODEMS[modem]!.bitRates)) };
}

function imageModemOf(line: LineModem): ImageModem {
  const modem = line.modem === 'v21' ? undefined : IMAGE_MODEMS[line.modem];
  if (!modem?.bitRates.includes(line.bitRate)) {
    throw new RangeError(`no audio image modem for ${line.modem} at ${line.bitRate} bit/s`);
  }
  return modem;
}

export function imageModulator(line: LineModem, longTraining: boolean): ImageModulator {
  return imageModemOf(line).modulator(line.bitRate, longTraining);
}

export function imageDemodulator(line: LineModem): ImageDemodulator {
  return imageModemOf(line).demodulator(line.bitRate);
}
