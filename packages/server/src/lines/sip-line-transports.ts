// Where a SIP line listens and by which transports (RFC 3261 §18: UDP and TCP on one port; §26: TLS alone for SIPS).

import { SipStreamTransport, type SipTlsOptions } from './sip-stream-transport.js';
import type { SipReceiver } from './sip-transport.js';
import { SipUdpTransport } from './sip-udp-transport.js';
import type { UdpEndpoint } from './udptl-socket.js';

export interface SipListenOptions {
  readonly listen: UdpEndpoint;
  /**
   * `udp` (the default): SIP over UDP only. `tcp`: the line listens for both on `listen`'s port and places its calls
   * and REGISTERs over TCP. `tls`: TLS only, with `tls`'s certificate, calls to sips: URIs.
   */
  readonly transport?: 'udp' | 'tcp' | 'tls';
  /** The certificate a `tls` line serves, and the authorities it trusts when it connects out. */
  readonly tls?: SipTlsOptions;
}

export interface Transports {
  readonly udp?: SipUdpTransport;
  readonly stream?: SipStreamTransport;
}

/**
 * Binds UDP at `listen` and, for `tcp`, a TCP listener on the same port (a fresh pair when port 0 drew a taken one);
 * for `tls`, a TLS listener alone: a SIPS line takes nothing unencrypted.
 */
export async function openTransports(
  options: SipListenOptions,
  receive: SipReceiver,
  admits: (host: string) => boolean,
): Promise<Transports> {
  if (options.transport === 'tls') {
    if (!options.tls) throw new Error('a SIP line over TLS needs a certificate');
    return { stream: await SipStreamTransport.listen(options.listen, receive, admits, options.tls) };
  }
  for (let attempt = 1; ; attempt++) {
    const udp = await SipUdpTransport.open(options.listen, receive);
    if (options.transport !== 'tcp') return { udp };
    try {
      const endpoint = { host: options.listen.host, port: udp.address.port };
      return { udp, stream: await SipStreamTransport.listen(endpoint, receive, admits) };
    } catch (error) {
      await udp.close();
      if (options.listen.port !== 0 || attempt === 5) throw error;
    }
  }
}
