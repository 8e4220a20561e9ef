// The host a SIP line names in Via, Contact and SDP (RFC 3261 §18.2.1 sent-by, §20.10 Contact; RFC 4566 §5.7 c=):
// `sip.advertise` when set, the listen host otherwise, and for a wildcard listen the machine's first external IPv4
// address, which on a single-homed server is the one peers reach it at.

import { isIPv4, isIPv6 } from 'node:net';
import { type NetworkInterfaceInfo, networkInterfaces } from 'node:os';

export class AdvertisedHostError extends Error {
  override readonly name = 'AdvertisedHostError';
}

/** 0.0.0.0 or :: (any spelling): a socket bound there listens everywhere but the address itself reaches nobody. */
export function isWildcardHost(host: string): boolean {
  if (isIPv4(host)) return host === '0.0.0.0';
  return isIPv6(host) && /^[0:]+$/.test(host);
}

export function advertisedHost(
  listenHost: string,
  advertise: string | undefined,
  interfaces: Readonly<Record<string, readonly NetworkInterfaceInfo[] | undefined>> = networkInterfaces(),
): string {
  if (advertise) return advertise;
  if (!isWildcardHost(listenHost)) return listenHost;
  for (const addresses of Object.values(interfaces)) {
    const external = addresses?.find((address) => address.family === 'IPv4' && !address.internal);
    if (external) return external.address;
  }
  throw new AdvertisedHostError(
    `it listens on ${listenHost} and no network interface has an external IPv4 address to advertise; set sip.advertise`,
  );
}
