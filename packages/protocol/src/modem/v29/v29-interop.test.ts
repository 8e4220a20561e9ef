import { describePskModemInterop } from '../../testing/psk-modem-trial.js';
import { V29Receiver } from './v29-receiver.js';
import { V29Transmitter } from './v29-transmitter.js';

describePskModemInterop(
  'V.29',
  ([9600, 7200, 4800] as const).map((rate) => ({
    modem: 'v29',
    bitRate: rate,
    transmitter: () => new V29Transmitter(rate),
    receiver: (sink) => new V29Receiver(rate, sink),
  })),
);
