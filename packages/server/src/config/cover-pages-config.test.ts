// The coverPages keys of the configuration (issue 15): no folder and empty sender fields by default, each value read,
// and a misspelt key or a bad value refused naming it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, parseFaxdConfig } from './faxd-config.js';

describe('coverPages configuration', () => {
  it('has the built-in template only and no sender details by default', () => {
    assert.deepEqual(parseFaxdConfig({}).coverPages, {
      folder: null,
      sender: { name: '', company: '', faxNumber: '', voiceNumber: '' },
    });
  });

  it('reads the folder and the sender defaults', () => {
    const sender = { name: 'Front desk', company: 'Example Ltd', faxNumber: '+1 555 0100', voiceNumber: '+1 555 0101' };
    assert.deepEqual(parseFaxdConfig({ coverPages: { folder: './covers', sender } }).coverPages, {
      folder: './covers',
      sender,
    });
  });

  it('refuses an unknown key and a value of the wrong type, naming it', () => {
    for (const [coverPages, key] of [
      [{ templates: './covers' }, 'coverPages.templates'],
      [{ folder: 7 }, 'coverPages.folder'],
      [{ sender: { phone: '1' } }, 'coverPages.sender.phone'],
    ] as const) {
      assert.throws(
        () => parseFaxdConfig({ coverPages }),
        (error: unknown) => error instanceof ConfigError && error.key === key,
      );
    }
  });
});
