import assert from 'node:assert/strict';
import type { NetworkInterfaceInfo } from 'node:os';
import { describe, it } from 'node:test';
import { AdvertisedHostError, advertisedHost, isWildcardHost } from './advertised-host.js';

function address(family: 'IPv4' | 'IPv6', value: string, internal: boolean): NetworkInterfaceInfo {
  const common = { address: value, netmask: '', mac: '00:00:00:00:00:00', internal, cidr: null };
  return family === 'IPv4' ? { ...common, family } : { ...common, family, scopeid: 0 };
}

const host = {
  lo: [address('IPv4', '127.0.0.1', true), address('IPv6', '::1', true)],
  eth0: [address('IPv6', '2001:db8::7', false), address('IPv4', '192.0.2.7', false)],
  eth1: [address('IPv4', '198.51.100.7', false)],
};

describe('advertisedHost', () => {
  it('takes sip.advertise when set, whatever the listen host', () => {
    assert.equal(advertisedHost('0.0.0.0', 'fax.example.com', host), 'fax.example.com');
    assert.equal(advertisedHost('127.0.0.1', '203.0.113.5', host), '203.0.113.5');
  });

  it('takes a specific listen host as it is', () => {
    assert.equal(advertisedHost('127.0.0.1', undefined, host), '127.0.0.1');
    assert.equal(advertisedHost('::1', undefined, host), '::1');
  });

  it('for a wildcard listen, takes the first external IPv4 address, past loopback and IPv6', () => {
    assert.equal(advertisedHost('0.0.0.0', undefined, host), '192.0.2.7');
    assert.equal(advertisedHost('::', undefined, host), '192.0.2.7');
  });

  it('refuses a wildcard listen on a machine with no external IPv4 address, saying to set sip.advertise', () => {
    assert.throws(
      () => advertisedHost('0.0.0.0', undefined, { lo: host.lo, eth0: [address('IPv6', '2001:db8::7', false)] }),
      (error: Error) => error instanceof AdvertisedHostError && /set sip\.advertise/.test(error.message),
    );
  });
});

describe('isWildcardHost', () => {
  it('knows 0.0.0.0 and :: in any spelling, and nothing else', () => {
    assert.deepEqual(
      ['0.0.0.0', '::', '0:0::0', '0:0:0:0:0:0:0:0', '127.0.0.1', '::1', '0.0.0.1', 'fax.example'].map(isWildcardHost),
      [true, true, true, true, false, false, false, false],
    );
  });
});
