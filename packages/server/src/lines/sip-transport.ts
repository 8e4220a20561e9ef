// What a SIP line sends and receives over (RFC 3261 §18): one small interface for its UDP socket and its TCP or TLS
// listener and connections, where each message came from, and the answer a message too broken to handle still earns.

import {
  createSipResponse,
  decodeSipMessage,
  SipDecodeError,
  type SipMessage,
  type SipResponse,
  type SipTransportName,
  type SipUri,
} from '@faxd/protocol';
import type { UdpEndpoint } from './udptl-socket.js';

/** Where a message came from, and so where its answers go: the transport and the peer's address on it. */
export interface SipFlow {
  readonly transport: SipTransportName;
  readonly remote: UdpEndpoint;
}

export interface SipTransport {
  readonly name: SipTransportName;
  /** Sends `message` to `to`; what cannot be delivered is dropped, and the transaction's timers notice. */
  send(message: SipMessage, to: UdpEndpoint): void;
  close(): Promise<void>;
}

/** Takes each well-formed message with where it came from. */
export type SipReceiver = (message: SipMessage, from: SipFlow) => void;

/**
 * Decodes one message. A request too broken to handle but still answerable gets 400 naming the fault through `reply`
 * (RFC 3261 §8.2; never an ACK); anything else broken is dropped.
 */
export function decodeOrRefuse(bytes: Uint8Array, reply: (response: SipResponse) => void): SipMessage | undefined {
  try {
    return decodeSipMessage(bytes);
  } catch (error) {
    // Whatever a decoder throws, a peer's bytes never take the line down.
    if (!(error instanceof SipDecodeError)) return undefined;
    const partial = error.partial;
    if (partial?.kind === 'request' && partial.method !== 'ACK') {
      try {
        reply(createSipResponse(partial, 400, { reason: `Bad Request (${error.reason})` }));
      } catch {
        // Too little survived to build a response from (no usable Via, From, To, Call-ID or CSeq): silence.
      }
    }
    return undefined;
  }
}

/**
 * A SIP URI's host and port as a socket address: IPv6 without its brackets, and unless given port 5061 for a sips: URI
 * or over TLS, 5060 otherwise (RFC 3261 §19.1.2).
 */
export function endpointOfUri(uri: SipUri, transport: SipTransportName = 'UDP'): UdpEndpoint {
  const port = uri.port ?? (uri.scheme === 'sips' || transport === 'TLS' ? 5061 : 5060);
  return { host: uri.host.replace(/^\[(.*)\]$/, '$1'), port };
}
