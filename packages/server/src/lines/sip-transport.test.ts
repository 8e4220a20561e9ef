// Where a SIP URI points as a socket address (RFC 3261 §19.1.2): 5061 for sips: or over TLS, 5060 otherwise.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeSipUri } from '@faxd/protocol';
import { endpointOfUri } from './sip-transport.js';

describe('endpointOfUri', () => {
  it('takes the default port from the scheme and the transport, and an explicit one as given', () => {
    assert.deepEqual(endpointOfUri(decodeSipUri('sip:pbx.example')), { host: 'pbx.example', port: 5060 });
    assert.deepEqual(endpointOfUri(decodeSipUri('sips:pbx.example')), { host: 'pbx.example', port: 5061 });
    assert.deepEqual(endpointOfUri(decodeSipUri('sip:pbx.example'), 'TLS'), { host: 'pbx.example', port: 5061 });
    assert.deepEqual(endpointOfUri(decodeSipUri('sip:pbx.example'), 'TCP'), { host: 'pbx.example', port: 5060 });
    assert.deepEqual(endpointOfUri(decodeSipUri('sips:[2001:db8::1]:5071'), 'TLS'), {
      host: '2001:db8::1',
      port: 5071,
    });
  });
});
