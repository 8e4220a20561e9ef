// Session timers for a fax call (RFC 4028 §7–§9): the interval a 2xx settles, which end refreshes, and the headers
// that say so.
import { headerValue, headerValues } from '../message/sip-headers.js';
import type { SipHeader, SipRequest, SipResponse } from '../message/sip-message-types.js';

export interface SessionTimer {
  /** Session-Expires, in seconds. */
  readonly interval: number;
  /** Whether this end must refresh the session (RFC 4028 §10: at half the interval). */
  readonly weRefresh: boolean;
}

type Refresher = 'uac' | 'uas';

function decodeSessionExpires(
  message: SipRequest | SipResponse,
): { interval: number; refresher?: Refresher } | undefined {
  const value = headerValue(message.headers, 'Session-Expires');
  const match = value && /^\s*([0-9]{1,10})\s*(?:;(.*))?$/.exec(value);
  if (!match) return undefined;
  const interval = Number(match[1]);
  if (interval === 0) return undefined;
  const refresher = /(?:^|;)\s*refresher\s*=\s*(uac|uas)\b/i.exec(match[2] ?? '')?.[1]?.toLowerCase();
  return { interval, ...(refresher && { refresher: refresher as Refresher }) };
}

function supportsTimer(message: SipRequest | SipResponse): boolean {
  return [...headerValues(message.headers, 'Supported'), ...headerValues(message.headers, 'Require')].some(
    (option) => option.trim().toLowerCase() === 'timer',
  );
}

/**
 * As the UAS of an INVITE or UPDATE: the timer our 2xx agrees to and the headers carrying it (RFC 4028 §9). A request
 * naming no refresher leaves the choice to us: the requester when it supports timers, else ourselves.
 */
export function answerSessionTimer(request: SipRequest): { timer?: SessionTimer; headers: SipHeader[] } {
  const asked = decodeSessionExpires(request);
  if (!asked) return { headers: [] };
  const refresher = asked.refresher ?? (supportsTimer(request) ? 'uac' : 'uas');
  const headers = [{ name: 'Session-Expires', value: `${asked.interval};refresher=${refresher}` }];
  if (refresher === 'uac') headers.push({ name: 'Require', value: 'timer' });
  return { timer: { interval: asked.interval, weRefresh: refresher === 'uas' }, headers };
}

/** As the UAC: the timer a 2xx to our INVITE or UPDATE settled; none when it carries no Session-Expires (§7.2). */
export function readSessionTimer(response: SipResponse): SessionTimer | undefined {
  const settled = decodeSessionExpires(response);
  if (!settled) return undefined;
  return { interval: settled.interval, weRefresh: settled.refresher !== 'uas' };
}

/** The headers of a refresh we send: the same interval, ourselves as refresher (§7.4). */
export function refreshHeaders(timer: SessionTimer): SipHeader[] {
  return [{ name: 'Session-Expires', value: `${timer.interval};refresher=uac` }];
}

/** The Min-SE of a 422 answer (§6): the smallest interval the far end accepts. */
export function minimumInterval(response: SipResponse): number | undefined {
  const value = /^\s*([0-9]{1,10})/.exec(headerValue(response.headers, 'Min-SE') ?? '')?.[1];
  return value ? Number(value) : undefined;
}
