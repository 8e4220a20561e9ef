// Who an INVITE calls and who places it, as the service is told of an offered call.

import { decodeSipUri, headerValue, type SipRequest, toOf } from '@faxd/protocol';

/** The dialed number: the Request-URI's user part (To's when the URI has none). */
export function decodedUser(request: SipRequest): string {
  const user = (uri: string) => {
    try {
      return decodeURIComponent(decodeSipUri(uri).user ?? '').split(';')[0] ?? '';
    } catch {
      return '';
    }
  };
  return user(request.uri) || user(toOf(request).uri);
}

export function callerOf(request: SipRequest): string {
  const from = headerValue(request.headers, 'P-Asserted-Identity') ?? headerValue(request.headers, 'From') ?? '';
  return /sips?:([^@;>]+)/.exec(from)?.[1] ?? '';
}
