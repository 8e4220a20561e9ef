import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, parseFaxdConfig } from './faxd-config.js';

function refusal(config: unknown): ConfigError {
  try {
    parseFaxdConfig(config);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  assert.fail('the configuration was accepted');
}

describe('parseFaxdConfig', () => {
  it('fills in the embedded default: ./var, 127.0.0.1:8080, two loopback lines', () => {
    const config = parseFaxdConfig({});
    assert.equal(config.dataDir, './var');
    assert.deepEqual(config.listen, { host: '127.0.0.1', port: 8080 });
    assert.deepEqual(
      config.lines.map((line) => [line.id, line.kind, line.send, line.receive]),
      [
        [1, 'loopback', true, true],
        [2, 'loopback', true, true],
      ],
    );
    assert.equal(config.outboundQueue.retries, 3);
    assert.equal(config.outboundQueue.retryDelaySeconds, 300);
  });

  it('reads the DESIGN.md example t38 line', () => {
    const config = parseFaxdConfig({
      listen: '127.0.0.1:8080',
      dataDir: './var',
      outboundQueue: { retries: 3, retryDelaySeconds: 300, ageLimitDays: 0 },
      lines: [
        {
          id: 1,
          name: 'Line 1',
          kind: 't38',
          bind: '127.0.0.1:40001',
          peer: '127.0.0.1:40002',
          tsid: '+1 555 0100',
          csid: '+1 555 0100',
          send: true,
          receive: true,
          rings: 1,
          priority: 1,
          ecm: true,
        },
      ],
    });
    const [line] = config.lines;
    assert.equal(line?.bind, '127.0.0.1:40001');
    assert.equal(line?.peer, '127.0.0.1:40002');
    assert.equal(line?.tsid, '+1 555 0100');
  });

  it('refuses an unknown key, naming its path', () => {
    assert.equal(refusal({ listne: '1.2.3.4:5' }).key, 'listne');
    assert.equal(refusal({ outboundQueue: { retrys: 2 } }).key, 'outboundQueue.retrys');
    assert.equal(
      refusal({
        lines: [
          { id: 1, kind: 'loopback', colour: 'red' },
          { id: 2, kind: 'loopback' },
        ],
      }).key,
      'lines[0].colour',
    );
  });

  it('refuses bad values with the key and the reason', () => {
    const error = refusal({ outboundQueue: { retries: -1 } });
    assert.equal(error.key, 'outboundQueue.retries');
    assert.match(error.message, /whole number from 0 to 100, got -1/);
    assert.equal(refusal({ listen: 'localhost' }).key, 'listen');
    assert.equal(refusal({ lines: [{ id: 1, kind: 'fax-modem' }] }).key, 'lines[0].kind');
    assert.equal(refusal({ lines: [{ id: 1, kind: 't38', peer: '127.0.0.1:1' }] }).key, 'lines[0].bind');
    assert.equal(refusal({ lines: [{ id: 1, kind: 'loopback' }] }).key, 'lines');
    assert.equal(
      refusal({
        lines: [
          { id: 1, kind: 'loopback' },
          { id: 1, kind: 'loopback' },
        ],
      }).key,
      'lines[1].id',
    );
    assert.equal(
      refusal({
        lines: [
          { id: 1, kind: 'loopback', routing: { webhook: { url: 'ftp://x' } } },
          { id: 2, kind: 'loopback' },
        ],
      }).key,
      'lines[0].routing.webhook.url',
    );
    assert.equal(refusal([]).key, '');
  });

  it('refuses a sip line until SIP lines exist, saying so', () => {
    const error = refusal({ lines: [{ id: 2, kind: 'sip', sip: {} }] });
    assert.equal(error.key, 'lines[0].kind');
    assert.match(error.message, /sip lines are not supported/);
  });
});
