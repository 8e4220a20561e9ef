// The `log` key of the configuration: a pino level, `info` unless set; anything else is refused naming the key.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from './config-reader.js';
import { parseFaxdConfig } from './faxd-config.js';

const refusal = (key: string) => (error: unknown) => error instanceof ConfigError && error.key === key;

describe('the log configuration', () => {
  it('logs at info unless told, at any of pino’s levels when told', () => {
    assert.equal(parseFaxdConfig({}).log.level, 'info');
    for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) {
      assert.equal(parseFaxdConfig({ log: { level } }).log.level, level);
    }
  });

  it('refuses an unknown level, a level that is not a string, and unknown keys', () => {
    assert.throws(() => parseFaxdConfig({ log: { level: 'loud' } }), refusal('log.level'));
    assert.throws(() => parseFaxdConfig({ log: { level: 30 } }), refusal('log.level'));
    assert.throws(() => parseFaxdConfig({ log: { level: 'info', file: 'faxd.log' } }), refusal('log.file'));
    assert.throws(() => parseFaxdConfig({ log: 'debug' }), refusal('log'));
  });
});
