// A SIP dialog's state and the requests sent within it (RFC 3261 §12.1 creating, §12.2.1.1 requests in a dialog).
import { encodeCSeq } from '../message/cseq.js';
import { decodeNameAddr, encodeNameAddr, tagOf } from '../message/name-addr.js';
import { callIdOf, fromOf, toOf } from '../message/sip-fields.js';
import { headerValues } from '../message/sip-headers.js';
import type { SipHeader, SipRequest, SipResponse } from '../message/sip-message-types.js';
import { encodeVia, type Via } from '../message/via.js';

export interface SipDialog {
  readonly callId: string;
  readonly localTag: string;
  readonly remoteTag: string;
  /** The From URI of our requests and the To URI of theirs, and the other way round. */
  readonly localUri: string;
  readonly remoteUri: string;
  /** The peer's Contact: the Request-URI of every request we send in the dialog. */
  readonly remoteTarget: string;
  /** Record-Route values in the order our requests carry them as Route. */
  readonly routeSet: readonly string[];
  /** The CSeq of our last request in the dialog. */
  localSeq: number;
  /** The CSeq of the peer's last request, undefined until one arrives (§12.2.2). */
  remoteSeq: number | undefined;
}

/** The URI in the first Contact of a message, if any. */
export function contactUriOf(message: SipRequest | SipResponse): string | undefined {
  const contact = headerValues(message.headers, 'Contact')[0];
  return contact === undefined ? undefined : decodeNameAddr(contact, 'Contact').uri;
}

/** §12.1.2: the UAC's view of the dialog a 2xx to its INVITE created; the route set is Record-Route reversed. */
export function dialogFromResponse(invite: SipRequest, response: SipResponse, localSeq: number): SipDialog {
  return {
    callId: callIdOf(invite),
    localTag: tagOf(fromOf(invite)) ?? '',
    remoteTag: tagOf(toOf(response)) ?? '',
    localUri: fromOf(invite).uri,
    remoteUri: toOf(response).uri,
    remoteTarget: contactUriOf(response) ?? invite.uri,
    routeSet: headerValues(response.headers, 'Record-Route').reverse(),
    localSeq,
    remoteSeq: undefined,
  };
}

/** §12.1.1: the UAS's view of the dialog its 2xx to `invite` creates, with `localTag` as the To tag it added. */
export function dialogFromRequest(invite: SipRequest, localTag: string, cseq: number): SipDialog {
  return {
    callId: callIdOf(invite),
    localTag,
    remoteTag: tagOf(fromOf(invite)) ?? '',
    localUri: toOf(invite).uri,
    remoteUri: fromOf(invite).uri,
    remoteTarget: contactUriOf(invite) ?? fromOf(invite).uri,
    routeSet: headerValues(invite.headers, 'Record-Route'),
    localSeq: 0,
    remoteSeq: cseq,
  };
}

/**
 * §12.2.1.1: a request in the dialog to its remote target, with the dialog's tags, Call-ID and route set (loose
 * routing). `cseq` defaults to the next local sequence number; ACK for a 2xx passes the INVITE's.
 */
export function createDialogRequest(
  dialog: SipDialog,
  method: string,
  via: Via,
  options: { cseq?: number; headers?: readonly SipHeader[]; body?: Uint8Array } = {},
): SipRequest {
  let seq = options.cseq;
  if (seq === undefined) {
    dialog.localSeq += 1;
    seq = dialog.localSeq;
  }
  const params = (tag: string) => new Map([['tag', tag]]);
  return {
    kind: 'request',
    method,
    uri: dialog.remoteTarget,
    headers: [
      { name: 'Via', value: encodeVia(via) },
      { name: 'Max-Forwards', value: '70' },
      { name: 'From', value: encodeNameAddr({ uri: dialog.localUri, params: params(dialog.localTag) }) },
      { name: 'To', value: encodeNameAddr({ uri: dialog.remoteUri, params: params(dialog.remoteTag) }) },
      { name: 'Call-ID', value: dialog.callId },
      { name: 'CSeq', value: encodeCSeq({ seq, method }) },
      ...dialog.routeSet.map((value) => ({ name: 'Route', value })),
      ...(options.headers ?? []),
    ],
    body: options.body ?? new Uint8Array(0),
  };
}
