// A SIP line keeping itself registered with a registrar (sipp, testdata/sipp/uas-register-*.xml): a digest challenge
// answered, a binding of 4 s granted, and the refresh arriving before it lapses (RFC 3261 §10.2, §22.2), even when the
// challenge arrives twice (§17.1.3: a response belongs to the transaction its branch names).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { freeUdpPort } from '../testing/free-udp-port.js';
import { receivedRequests, SippBench } from '../testing/sipp.js';

describe('a SIP line registering with sipp as its registrar', () => {
  const bench = SippBench.register();

  it('answers the challenge, binds its own SIP socket and refreshes before the binding lapses', async () => {
    const sippPort = await freeUdpPort();
    // sipp fails the scenario when a digest does not check out or the refresh comes after the 4 s it granted.
    const { finished: registrar } = await bench.start({
      scenario: 'uas-register-refresh.xml',
      port: sippPort,
      timeoutSeconds: 20,
    });
    const { sipPort } = await bench.startFaxd({
      registrar: `sip:127.0.0.1:${sippPort}`,
      username: 'faxd-user',
      password: 'faxd-secret',
    });
    // Each once: faxd retransmits its first REGISTER when its start-up keeps it from reading the 401 within T1.
    const registers = receivedRequests((await registrar).messages);
    assert.ok(registers.length >= 3, `${registers.length} REGISTERs`);
    for (const register of registers) {
      assert.equal(register.startLine, `REGISTER sip:127.0.0.1:${sippPort} SIP/2.0`);
      assert.match(register.header('Contact'), new RegExp(`^<sip:faxd-user@127\\.0\\.0\\.1:${sipPort}>`));
      assert.match(register.header('To'), /^<?sip:faxd-user@127\.0\.0\.1>?$/);
    }
    // RFC 3261 §10.2.4: a refresh keeps the Call-ID, and every REGISTER of it takes the next CSeq.
    assert.equal(new Set(registers.map((register) => register.header('Call-ID'))).size, 1);
    const sequence = registers.map((register) => Number.parseInt(register.header('CSeq'), 10));
    assert.deepEqual(
      sequence,
      sequence.map((_, i) => (sequence[0] as number) + i),
    );
  });

  it("keeps its registration when the registrar's challenge arrives twice", async () => {
    const sippPort = await freeUdpPort();
    // sipp fails the scenario unless the authenticated REGISTER comes, and the refresh before the 4 s it granted.
    const { finished: registrar } = await bench.start({
      scenario: 'uas-register-repeated-challenge.xml',
      port: sippPort,
      timeoutSeconds: 20,
    });
    await bench.startFaxd({
      registrar: `sip:127.0.0.1:${sippPort}`,
      username: 'faxd-user',
      password: 'faxd-secret',
    });
    const registers = receivedRequests((await registrar).messages);
    assert.equal(registers.length, 3, 'the first REGISTER, the authenticated one and the refresh');
  });
});
