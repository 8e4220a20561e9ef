import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { describe, it } from 'node:test';
import { DEFAULT_DOCUMENT_LIMITS } from '../render/document-limits.js';
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

  it('reads the user a line’s received faxes belong to (routing.user), none by default', () => {
    const config = parseFaxdConfig({
      lines: [
        { id: 1, kind: 'loopback' },
        { id: 2, kind: 'loopback', routing: { user: 'carol' } },
      ],
    });
    assert.deepEqual(
      config.lines.map((line) => line.routingUser),
      [null, 'carol'],
    );
    const error = refusal({
      lines: [
        { id: 1, kind: 'loopback', routing: { user: 7 } },
        { id: 2, kind: 'loopback' },
      ],
    });
    assert.equal(error.key, 'lines[0].routing.user');
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

  it('reads a sip line with its SIP keys and media ports, defaults filled in', () => {
    const config = parseFaxdConfig({
      lines: [
        {
          id: 2,
          kind: 'sip',
          sip: {
            listen: '0.0.0.0:5060',
            numbers: ['5550100', '+15550101'],
            proxy: 'sip:pbx.example:5060',
            registrar: 'sip:pbx.example',
            username: 'fax',
            password: 'secret',
          },
          mediaPorts: '40100-40109',
          tsid: 'T',
          csid: 'C',
        },
      ],
    });
    const line = config.lines[0];
    // The DESIGN.md example: a wildcard listen with no advertise starts (the line picks an external address).
    assert.deepEqual(line?.sip, {
      listen: '0.0.0.0:5060',
      advertise: null,
      numbers: ['5550100', '+15550101'],
      proxy: 'sip:pbx.example:5060',
      registrar: 'sip:pbx.example',
      username: 'fax',
      password: 'secret',
      transport: 'udp',
      offer: 't38',
      audioFax: true,
      allow: null,
      rateLimit: { perSecond: 5, burst: 20 },
      inboundAuth: null,
    });
    assert.deepEqual(line?.mediaPorts, { first: 40100, last: 40109 });
    const bare = parseFaxdConfig({ lines: [{ id: 3, kind: 'sip', sip: { listen: '127.0.0.1:5070' } }] }).lines[0];
    assert.deepEqual(bare?.mediaPorts, { first: 40100, last: 40199 });
    assert.equal(bare?.sip?.proxy, null);
  });

  it('refuses bad sip line values, naming the key', () => {
    const sip = (extra: object, line: object = {}) => ({
      lines: [{ id: 2, kind: 'sip', sip: { listen: '127.0.0.1:5060', ...extra }, ...line }],
    });
    assert.equal(refusal({ lines: [{ id: 2, kind: 'sip', sip: {} }] }).key, 'lines[0].sip.listen');
    assert.equal(refusal(sip({ listen: 'nowhere' })).key, 'lines[0].sip.listen');
    assert.equal(refusal(sip({ numbers: '5550100' })).key, 'lines[0].sip.numbers');
    assert.equal(refusal(sip({ numbers: ['555 0100'] })).key, 'lines[0].sip.numbers[0]');
    assert.equal(refusal(sip({ proxy: 'http://pbx' })).key, 'lines[0].sip.proxy');
    assert.equal(refusal(sip({ registrar: 'sip:pbx' })).key, 'lines[0].sip.username');
    assert.equal(refusal(sip({ transport: 'sctp' })).key, 'lines[0].sip.transport');
    assert.equal(refusal(sip({ transport: 'TCP' })).key, 'lines[0].sip.transport');
    assert.equal(refusal(sip({ offer: 'g711' })).key, 'lines[0].sip.offer');
    assert.equal(refusal(sip({ audioFax: 'no' })).key, 'lines[0].sip.audioFax');
    for (const advertise of [
      'fax example',
      'http://fax.example',
      '[2001:db8::1]',
      'fax_1.example',
      '-fax.example',
      5060,
    ]) {
      assert.equal(refusal(sip({ advertise })).key, 'lines[0].sip.advertise', String(advertise));
    }
    for (const advertise of ['0.0.0.0', '::', '0:0::0']) {
      const error = refusal(sip({ advertise }));
      assert.equal(error.key, 'lines[0].sip.advertise');
      assert.match(error.message, /wildcard/);
    }
    assert.equal(refusal(sip({ port: 5060 })).key, 'lines[0].sip.port');
    assert.equal(refusal(sip({}, { mediaPorts: '40199-40100' })).key, 'lines[0].mediaPorts');
    assert.equal(refusal(sip({}, { mediaPorts: 40100 })).key, 'lines[0].mediaPorts');
  });

  it('reads sip.transport tcp, sip.offer audio and sip.advertise host names and IP literals', () => {
    const read = (sip: object) =>
      parseFaxdConfig({ lines: [{ id: 2, kind: 'sip', sip: { listen: '0.0.0.0:5060', ...sip } }] }).lines[0]?.sip;
    assert.equal(read({ transport: 'tcp' })?.transport, 'tcp');
    assert.equal(read({ transport: 'udp' })?.transport, 'udp');
    assert.equal(read({ offer: 'audio' })?.offer, 'audio');
    assert.equal(read({ audioFax: false })?.audioFax, false);
    for (const advertise of ['fax.example.com', 'faxd', '203.0.113.7', '2001:db8::7']) {
      assert.equal(read({ advertise })?.advertise, advertise);
    }
  });

  it('reads sip.allow, sip.rateLimit and sip.inboundAuth, and refuses bad ones naming the key', () => {
    const read = (sip: object) =>
      parseFaxdConfig({ lines: [{ id: 2, kind: 'sip', sip: { listen: '0.0.0.0:5060', ...sip } }] }).lines[0]?.sip;
    const allow = ['192.0.2.7', '203.0.113.0/24', '2001:db8::/32', '::1'];
    assert.deepEqual(read({ allow })?.allow, allow);
    assert.deepEqual(read({ rateLimit: { burst: 50 } })?.rateLimit, { perSecond: 5, burst: 50 });
    assert.deepEqual(read({ inboundAuth: { username: 'pbx', password: 'pw' } })?.inboundAuth, {
      username: 'pbx',
      password: 'pw',
      realm: 'faxd',
    });
    const key = (sip: object) =>
      refusal({ lines: [{ id: 2, kind: 'sip', sip: { listen: '0.0.0.0:5060', ...sip } }] }).key;
    assert.equal(key({ allow: '192.0.2.7' }), 'lines[0].sip.allow');
    assert.equal(key({ allow: ['192.0.2.0/33'] }), 'lines[0].sip.allow[0]');
    assert.equal(key({ allow: ['::1', '2001:db8::/129'] }), 'lines[0].sip.allow[1]');
    assert.equal(key({ allow: ['pbx.example'] }), 'lines[0].sip.allow[0]');
    assert.equal(key({ allow: ['192.0.2.1/24/1'] }), 'lines[0].sip.allow[0]');
    assert.equal(key({ rateLimit: { perSecond: 0 } }), 'lines[0].sip.rateLimit.perSecond');
    assert.equal(key({ rateLimit: { rate: 5 } }), 'lines[0].sip.rateLimit.rate');
    assert.equal(key({ inboundAuth: { username: 'pbx' } }), 'lines[0].sip.inboundAuth.password');
  });

  it('reads tls as a certificate and key file, and sip.transport tls only with it', () => {
    const tls = { cert: 'cert.pem', key: 'key.pem' };
    assert.equal(parseFaxdConfig({}).tls, null);
    assert.deepEqual(parseFaxdConfig({ tls }).tls, tls);
    assert.equal(refusal({ tls: { cert: 'cert.pem' } }).key, 'tls.key');
    assert.equal(refusal({ tls: { ...tls, ca: 'ca.pem' } }).key, 'tls.ca');
    assert.equal(refusal({ tls: 'cert.pem' }).key, 'tls');
    const sips = { lines: [{ id: 2, kind: 'sip', sip: { listen: '0.0.0.0:5061', transport: 'tls' } }] };
    assert.equal(parseFaxdConfig({ ...sips, tls }).lines[0]?.sip?.transport, 'tls');
    assert.equal(refusal(sips).key, 'lines[0].sip.transport');
  });

  it('reads the document and HTTP limits, each defaulted, and refuses an unknown or bad one', () => {
    const http = { requestBytes: 96 * 1024 * 1024, requestsPerSecond: 100, requestBurst: 400 };
    const defaults = { ...DEFAULT_DOCUMENT_LIMITS, recipientsPerSubmission: 1000, ...http };
    assert.deepEqual(parseFaxdConfig({}).limits, defaults);
    const { limits } = parseFaxdConfig({
      limits: { pagesPerJob: 20, conversionSeconds: 30, recipientsPerSubmission: 5 },
    });
    assert.deepEqual(limits, { ...defaults, pagesPerJob: 20, conversionSeconds: 30, recipientsPerSubmission: 5 });
    assert.equal(refusal({ limits: { pages: 20 } }).key, 'limits.pages');
    assert.equal(refusal({ limits: { pixelsPerPage: 0 } }).key, 'limits.pixelsPerPage');
    assert.equal(refusal({ limits: { bytesPerPage: '16 MB' } }).key, 'limits.bytesPerPage');
    assert.equal(refusal({ limits: { recipientsPerSubmission: 0 } }).key, 'limits.recipientsPerSubmission');
    assert.equal(parseFaxdConfig({ limits: { requestsPerSecond: 0 } }).limits.requestsPerSecond, 0, '0: no rate limit');
    assert.equal(refusal({ limits: { requestBytes: 100 } }).key, 'limits.requestBytes');
    assert.equal(refusal({ limits: { requestBurst: 0 } }).key, 'limits.requestBurst');
    assert.equal(refusal({ limits: { requestsPerSecond: 1.5 } }).key, 'limits.requestsPerSecond');
  });
});

describe('the events key (event log retention)', () => {
  it('keeps a week and at most 100,000 events by default, and reads both bounds', () => {
    assert.deepEqual(parseFaxdConfig({}).events, { keepDays: 7, keepCount: 100_000 });
    assert.deepEqual(parseFaxdConfig({ events: { keepDays: 0, keepCount: 50 } }).events, {
      keepDays: 0,
      keepCount: 50,
    });
  });

  it('refuses an empty window, a fraction and an unknown key, naming it', () => {
    assert.equal(refusal({ events: { keepCount: 0 } }).key, 'events.keepCount');
    assert.equal(refusal({ events: { keepDays: 1.5 } }).key, 'events.keepDays');
    assert.equal(refusal({ events: { keepDays: '7' } }).key, 'events.keepDays');
    assert.equal(refusal({ events: { keepAll: true } }).key, 'events.keepAll');
  });
});

describe('the storage key (free space kept under the data directory)', () => {
  it('keeps 100 MB free by default, and reads the threshold (0: no check)', () => {
    assert.deepEqual(parseFaxdConfig({}).storage, { minFreeMegabytes: 100 });
    assert.deepEqual(parseFaxdConfig({ storage: { minFreeMegabytes: 0 } }).storage, { minFreeMegabytes: 0 });
  });

  it('refuses a negative or fractional threshold and an unknown key, naming it', () => {
    assert.equal(refusal({ storage: { minFreeMegabytes: -1 } }).key, 'storage.minFreeMegabytes');
    assert.equal(refusal({ storage: { minFreeMegabytes: 0.5 } }).key, 'storage.minFreeMegabytes');
    assert.equal(refusal({ storage: { minFreeBytes: 1 } }).key, 'storage.minFreeBytes');
  });

  it('reads sandbox lines paired by their peer keys', () => {
    const config = parseFaxdConfig({
      lines: [
        { id: 5, kind: 'sandbox', peer: 6, csid: '+1 555 0105' },
        { id: 6, kind: 'sandbox', peer: 5 },
      ],
    });
    assert.deepEqual(
      config.lines.map((line) => [line.id, line.kind, line.peerLine, line.peer, line.bind]),
      [
        [5, 'sandbox', 6, null, null],
        [6, 'sandbox', 5, null, null],
      ],
    );
    assert.equal(config.lines[0]?.csid, '+1 555 0105');
  });

  it('refuses a sandbox line without a partner that names it back, naming the key', () => {
    const lines = (...rest: object[]) => ({ lines: [{ id: 5, kind: 'sandbox', peer: 6 }, ...rest] });
    const problems = [
      [lines(), /names line 6, which is not configured/],
      [lines({ id: 6, kind: 'loopback' }, { id: 7, kind: 'loopback' }), /line 6, which is a loopback line/],
      [lines({ id: 6, kind: 'sandbox', peer: 7 }, { id: 7, kind: 'sandbox', peer: 6 }), /whose peer is line 7/],
      [{ lines: [{ id: 5, kind: 'sandbox', peer: 5 }] }, /itself/],
    ] as const;
    for (const [config, message] of problems) {
      const error = refusal(config);
      assert.equal(error.key, 'lines[0].peer');
      assert.match(error.message, message);
    }
    assert.equal(refusal({ lines: [{ id: 5, kind: 'sandbox' }] }).key, 'lines[0].peer');
    assert.equal(refusal({ lines: [{ id: 5, kind: 'sandbox', peer: '127.0.0.1:1' }] }).key, 'lines[0].peer');
    const withBind = {
      lines: [
        { id: 5, kind: 'sandbox', peer: 6, bind: '127.0.0.1:1' },
        { id: 6, kind: 'sandbox', peer: 5 },
      ],
    };
    assert.equal(refusal(withBind).key, 'lines[0].bind');
  });

  it('keeps the store in SQLite under the data directory by default, and reads a PostgreSQL one by URL', () => {
    assert.deepEqual(parseFaxdConfig({ dataDir: '/srv/fax' }).store, { kind: 'sqlite', file: '/srv/fax/faxd.sqlite' });
    assert.deepEqual(parseFaxdConfig({ dataDir: '/srv/fax', store: { kind: 'sqlite' } }).store, {
      kind: 'sqlite',
      file: '/srv/fax/faxd.sqlite',
    });
    assert.deepEqual(parseFaxdConfig({ store: { kind: 'sqlite', url: '/db/faxd.sqlite' } }).store, {
      kind: 'sqlite',
      file: '/db/faxd.sqlite',
    });
    const url = 'postgres://faxd:secret@db.example:5432/faxd';
    assert.deepEqual(parseFaxdConfig({ store: { kind: 'postgres', url } }).store, { kind: 'postgres', url });
  });

  it('refuses a store of another kind, a PostgreSQL store without a postgres URL, and an unknown key', () => {
    assert.equal(refusal({ store: { kind: 'mysql' } }).key, 'store.kind');
    assert.equal(refusal({ store: { kind: 'postgres' } }).key, 'store.url');
    const error = refusal({ store: { kind: 'postgres', url: 'http://db.example/faxd' } });
    assert.equal(error.key, 'store.url');
    assert.match(error.message, /PostgreSQL URL/);
    assert.equal(refusal({ store: { kind: 'postgres', url: 'postgres://db/faxd', pool: 3 } }).key, 'store.pool');
  });
});

describe('the nodeId and cluster keys (several nodes on one store)', () => {
  it('names the node after the host by default, with a 30-second lease renewed every 5, and reads both', () => {
    const config = parseFaxdConfig({});
    assert.equal(config.nodeId, hostname() || 'node-1');
    assert.deepEqual(config.cluster, { leaseSeconds: 30, heartbeatSeconds: 5 });
    const read = parseFaxdConfig({ nodeId: 'fax-b', cluster: { leaseSeconds: 4, heartbeatSeconds: 1 } });
    assert.equal(read.nodeId, 'fax-b');
    assert.deepEqual(read.cluster, { leaseSeconds: 4, heartbeatSeconds: 1 });
    assert.deepEqual(parseFaxdConfig({ cluster: { leaseSeconds: 3 } }).cluster, {
      leaseSeconds: 3,
      heartbeatSeconds: 1,
    });
  });

  it('refuses a heartbeat more than a third of the lease, a bad number and an unknown key, naming it', () => {
    const error = refusal({ cluster: { leaseSeconds: 5, heartbeatSeconds: 2 } });
    assert.equal(error.key, 'cluster.heartbeatSeconds');
    assert.match(error.message, /at most a third of leaseSeconds \(5\)/);
    assert.equal(refusal({ cluster: { leaseSeconds: 5, heartbeatSeconds: 5 } }).key, 'cluster.heartbeatSeconds');
    assert.deepEqual(parseFaxdConfig({ cluster: { leaseSeconds: 6, heartbeatSeconds: 2 } }).cluster, {
      leaseSeconds: 6,
      heartbeatSeconds: 2,
    });
    // Whole-second heartbeats of a third of the lease at most: no shorter lease than three seconds.
    assert.equal(refusal({ cluster: { leaseSeconds: 2 } }).key, 'cluster.leaseSeconds');
    assert.equal(refusal({ cluster: { leaseSeconds: 0 } }).key, 'cluster.leaseSeconds');
    assert.equal(refusal({ cluster: { lease: 5 } }).key, 'cluster.lease');
    assert.equal(refusal({ nodeId: 7 }).key, 'nodeId');
  });
});
