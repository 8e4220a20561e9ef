// Addresses and CIDR blocks as sip.allow and the media check compare them: IPv4, IPv6 in any spelling, and IPv4
// peers seen on a dual-stack socket as IPv4-mapped IPv6 addresses; and the per-source token bucket on a manual clock.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AddressList, addressEntryProblem, canonicalAddress, isFromHost } from './address-list.js';
import { SourceRateLimit } from './source-rate-limit.js';

describe('canonicalAddress', () => {
  it('writes each address one way, and host names not at all', () => {
    assert.equal(canonicalAddress('192.0.2.7'), '192.0.2.7');
    assert.equal(canonicalAddress('::ffff:192.0.2.7'), '192.0.2.7');
    assert.equal(canonicalAddress('2001:DB8:0:0::1'), '2001:db8::1');
    assert.equal(canonicalAddress('0:0:0:0:0:0:0:1'), '::1');
    assert.equal(canonicalAddress('localhost'), undefined);
  });
});

describe('isFromHost', () => {
  it('matches a source to the peer address in any spelling, localhost to loopback, and a host name to anything', () => {
    assert.equal(isFromHost('::ffff:127.0.0.1', '127.0.0.1'), true);
    assert.equal(isFromHost('127.0.0.1', 'localhost'), true);
    assert.equal(isFromHost('2001:db8::1', '2001:DB8:0::1'), true);
    assert.equal(isFromHost('127.0.0.2', '127.0.0.1'), false);
    assert.equal(isFromHost('127.0.0.2', 'localhost'), false);
    assert.equal(isFromHost('192.0.2.9', 'gw.example'), true);
  });
});

describe('AddressList', () => {
  const list = new AddressList(['192.0.2.7', '203.0.113.0/24', '2001:db8::/32', '::1']);

  it('takes the listed addresses and blocks, IPv4 and IPv6, in any spelling', () => {
    for (const address of [
      '192.0.2.7',
      '::ffff:192.0.2.7',
      '203.0.113.0',
      '203.0.113.255',
      '2001:db8:ffff::9',
      '::1',
    ]) {
      assert.equal(list.includes(address), true, address);
    }
    assert.equal(list.includes('2001:DB8::1'), true);
  });

  it('refuses everything else', () => {
    for (const address of ['192.0.2.8', '203.0.114.1', '2001:db9::1', '::2', '::ffff:203.0.114.1', 'localhost', '']) {
      assert.equal(list.includes(address), false, address);
    }
    assert.equal(new AddressList([]).includes('127.0.0.1'), false);
  });

  it('says what is wrong with a bad entry', () => {
    assert.equal(addressEntryProblem('10.0.0.0/8'), undefined);
    assert.match(addressEntryProblem('10.0.0.0/33') ?? '', /prefix/);
    assert.match(addressEntryProblem('2001:db8::/129') ?? '', /prefix/);
    assert.match(addressEntryProblem('10.0.0.0/') ?? '', /prefix/);
    assert.match(addressEntryProblem('pbx.example') ?? '', /not an IP address/);
    assert.throws(() => new AddressList(['10.0.0.0/x']), RangeError);
  });
});

describe('SourceRateLimit', () => {
  it('lets each source send its burst, then its rate, apart from the others', () => {
    const limit = new SourceRateLimit({ perSecond: 2, burst: 3 });
    const taken = (source: string, now: number, count: number) =>
      Array.from({ length: count }, () => limit.take(source, now)).filter(Boolean).length;
    assert.equal(taken('a', 0, 10), 3);
    assert.equal(taken('b', 0, 10), 3, 'another source has its own bucket');
    assert.equal(taken('a', 499, 10), 0, 'less than one token earned');
    assert.equal(taken('a', 1000, 10), 2, 'two a second');
    assert.equal(taken('a', 60_000, 10), 3, 'never more than the burst');
  });

  it('keeps a bounded number of sources, forgetting refilled ones first', () => {
    const limit = new SourceRateLimit({ perSecond: 1, burst: 1 });
    assert.equal(limit.take('drained', 0), true);
    for (let n = 0; n < 100; n++) limit.take(`s${n}`, 0);
    assert.equal(limit.take('drained', 0), false, 'remembered while there is room');
    for (let n = 100; n < 10_000; n++) limit.take(`s${n}`, 0);
    assert.ok(limit.size <= 4096, `${limit.size} sources kept`);
    // A second later every bucket has refilled: the next new source makes room by dropping them all.
    assert.equal(limit.take('late', 1000), true);
    assert.equal(limit.size, 1);
  });
});
