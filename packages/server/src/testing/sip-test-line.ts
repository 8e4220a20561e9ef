// Test support: a SIP line on 127.0.0.1 at any free port, taking any free media port, ECM and MMR on, CSI from its
// first number; `extra` sets anything else (a proxy, TCP, shortened call timers).

import { SipLine, type SipLineOptions } from '../lines/sip-line.js';

export function openTestSipLine(numbers: string[], extra: Partial<SipLineOptions> = {}): Promise<SipLine> {
  return SipLine.open({
    listen: { host: '127.0.0.1', port: 0 },
    numbers,
    mediaPorts: { first: 0, last: 0 },
    ecm: true,
    compression: 'mmr',
    csid: `CSI ${numbers[0]}`,
    ...extra,
  });
}
