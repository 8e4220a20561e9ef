import { describePskModemInterop } from '../../testing/psk-modem-trial.js';
import { V29Demodulator } from './v29-demodulator.js';
import { V29Modulator } from './v29-modulator.js';

describePskModemInterop(
  'V.29',
  ([9600, 7200, 4800] as const).map((rate) => ({
    modem: 'v29',
    bitRate: rate,
    modulator: () => new V29Modulator(rate),
    demodulator: () => new V29Demodulator(rate),
  })),
);
