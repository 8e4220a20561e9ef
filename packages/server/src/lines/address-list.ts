// IP addresses as a SIP line compares them: `sip.allow`'s addresses and CIDR blocks (IPv4 and IPv6), and the one
// address a call's media may come from. A dual-stack socket reports IPv4 peers as IPv4-mapped IPv6 addresses
// (::ffff:192.0.2.7); they count as the IPv4 address they carry.

import { BlockList, isIP } from 'node:net';

/** The address in one canonical spelling (IPv4 dotted, IPv6 compressed lower case), or undefined for a host name. */
export function canonicalAddress(text: string): string | undefined {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text);
  if (mapped) return mapped[1];
  switch (isIP(text)) {
    case 4:
      return text;
    case 6:
      // The URL parser writes IPv6 the RFC 5952 way: compressed, lower case.
      return new URL(`http://[${text}]/`).hostname.slice(1, -1);
    default:
      return undefined;
  }
}

/**
 * Whether a datagram's source address is `host`, the far end a call was set up with. `localhost` is the loopback
 * address; another host name is not resolved here, so it matches any source (the port then decides alone).
 */
export function isFromHost(source: string, host: string): boolean {
  const expected = canonicalAddress(host === 'localhost' ? '127.0.0.1' : host);
  return expected === undefined || canonicalAddress(source) === expected;
}

/** Whether `entry` is an address or a CIDR block ("203.0.113.0/24", "2001:db8::/32"): the reason when it is not. */
export function addressEntryProblem(entry: string): string | undefined {
  const [address = '', prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return 'is not an IP address or CIDR block';
  if (prefix === undefined) return undefined;
  const bits = Number(prefix);
  if (!/^\d{1,3}$/.test(prefix) || bits > (family === 4 ? 32 : 128)) return `has a bad prefix length /${prefix}`;
  return undefined;
}

/** A set of addresses and CIDR blocks; build it from entries `addressEntryProblem` accepts. */
export class AddressList {
  readonly #list = new BlockList();

  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const problem = addressEntryProblem(entry);
      if (problem) throw new RangeError(`${entry} ${problem}`);
      const [address = '', prefix] = entry.split('/');
      const canonical = canonicalAddress(address) as string;
      const family = isIP(canonical) === 4 ? 'ipv4' : 'ipv6';
      if (prefix === undefined) this.#list.addAddress(canonical, family);
      else this.#list.addSubnet(canonical, Number(prefix), family);
    }
  }

  includes(address: string): boolean {
    const canonical = canonicalAddress(address);
    if (canonical === undefined) return false;
    return this.#list.check(canonical, isIP(canonical) === 4 ? 'ipv4' : 'ipv6');
  }
}
