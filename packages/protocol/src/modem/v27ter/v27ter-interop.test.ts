import { describePskModemInterop } from '../../testing/psk-modem-trial.js';
import { V27terDemodulator } from './v27ter-demodulator.js';
import { V27terModulator } from './v27ter-modulator.js';

describePskModemInterop(
  'V.27ter',
  ([4800, 2400] as const).map((rate) => ({
    modem: 'v27ter',
    bitRate: rate,
    modulator: () => new V27terModulator(rate),
    demodulator: () => new V27terDemodulator(rate),
  })),
);
