import { describePskModemInterop } from '../../testing/psk-modem-trial.js';
import { V27terReceiver } from './v27ter-receiver.js';
import { V27terTransmitter } from './v27ter-transmitter.js';

describePskModemInterop(
  'V.27ter',
  ([4800, 2400] as const).map((rate) => ({
    modem: 'v27ter',
    bitRate: rate,
    transmitter: () => new V27terTransmitter(rate),
    receiver: (sink) => new V27terReceiver(rate, sink),
  })),
);
