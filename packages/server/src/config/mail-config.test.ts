// The mail keys of the configuration (DESIGN.md §3 "Mail"): smtp and a line's routing.email read with their defaults,
// and each bad value refused naming its key.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, parseFaxdConfig } from './faxd-config.js';

const loopbacks = (email: unknown) => [
  { id: 1, kind: 'loopback' },
  { id: 2, kind: 'loopback', routing: { email } },
];
const smtp = { host: 'mail.example', from: 'fax@example.com' };

function refusedAt(config: unknown): string {
  try {
    parseFaxdConfig(config);
  } catch (error) {
    if (error instanceof ConfigError) return error.key;
    throw error;
  }
  assert.fail('the configuration was accepted');
}

describe('mail configuration', () => {
  it('sends no mail by default', () => {
    const config = parseFaxdConfig({});
    assert.equal(config.smtp, null);
    assert.deepEqual(
      config.lines.map((line) => line.email),
      [null, null],
    );
  });

  it('reads smtp and routing.email, defaults filled in', () => {
    const config = parseFaxdConfig({ smtp, lines: loopbacks({ to: ['office@example.com'] }) });
    assert.deepEqual(config.smtp, {
      host: 'mail.example',
      port: 587,
      secure: false,
      username: null,
      password: null,
      from: 'fax@example.com',
    });
    assert.deepEqual(config.lines[1]?.email, {
      to: ['office@example.com'],
      subject: 'Fax from {tsid}, pages: {pages}',
      tiff: false,
    });
    const secure = parseFaxdConfig({ smtp: { ...smtp, secure: true, username: 'fax', password: 'pw' } }).smtp;
    assert.equal(secure?.port, 465, 'SMTPS by default on its port');
    assert.equal(secure?.username, 'fax');
  });

  it('reads mailGateway, defaults filled in', () => {
    const gateway = parseFaxdConfig({
      mailGateway: { domain: 'Fax.Example', allowFrom: ['Alice@Example.com', '@example.org'] },
    }).mailGateway;
    assert.deepEqual(gateway, {
      listen: { host: '127.0.0.1', port: 2525 },
      domain: 'fax.example',
      allowFrom: ['alice@example.com', '@example.org'],
      requireAuth: false,
      requireTls: false,
      submitAs: null,
      maxMessageMegabytes: 25,
      coverPage: false,
    });
    assert.equal(parseFaxdConfig({}).mailGateway, null);
  });

  it('refuses bad values, naming the key', () => {
    const email = { to: ['office@example.com'] };
    for (const [config, key] of [
      [{ smtp: { from: 'fax@example.com' } }, 'smtp.host'],
      [{ smtp: { host: 'mail.example' } }, 'smtp.from'],
      [{ smtp: { ...smtp, from: 'Fax <fax@example.com>' } }, 'smtp.from'],
      [{ smtp: { ...smtp, port: 0 } }, 'smtp.port'],
      [{ smtp: { ...smtp, secure: 'yes' } }, 'smtp.secure'],
      [{ smtp: { ...smtp, password: 'pw' } }, 'smtp.username'],
      [{ smtp: { ...smtp, tls: true } }, 'smtp.tls'],
      [{ smtp, lines: loopbacks({ to: [] }) }, 'lines[1].routing.email.to'],
      [{ smtp, lines: loopbacks({ to: ['office'] }) }, 'lines[1].routing.email.to[0]'],
      [{ smtp, lines: loopbacks({ ...email, subject: 7 }) }, 'lines[1].routing.email.subject'],
      [{ smtp, lines: loopbacks({ ...email, cc: ['a@b.c'] }) }, 'lines[1].routing.email.cc'],
      [{ lines: loopbacks(email) }, 'lines[1].routing.email'],
      [{ mailGateway: {} }, 'mailGateway.domain'],
      [{ mailGateway: { domain: 'fax example' } }, 'mailGateway.domain'],
      [{ mailGateway: { domain: 'fax.example', listen: 'everywhere' } }, 'mailGateway.listen'],
      [{ mailGateway: { domain: 'fax.example', allowFrom: ['example.com'] } }, 'mailGateway.allowFrom[0]'],
      [{ mailGateway: { domain: 'fax.example', requireAuth: 1 } }, 'mailGateway.requireAuth'],
      [{ mailGateway: { domain: 'fax.example', maxMessageMegabytes: 0 } }, 'mailGateway.maxMessageMegabytes'],
      [{ mailGateway: { domain: 'fax.example', requireTls: true } }, 'mailGateway.requireTls'],
      [{ mailGateway: { domain: 'fax.example', submitAs: 7 } }, 'mailGateway.submitAs'],
    ] as const) {
      assert.equal(refusedAt(config), key, JSON.stringify(config));
    }
  });
});
