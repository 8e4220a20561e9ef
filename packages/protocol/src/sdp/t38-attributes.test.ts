import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DecodeError } from '../bits/decode-error.js';
import { decodeSdp, encodeSdp } from './sdp.js';
import { decodeT38Parameters, encodeT38Attributes, type T38Parameters } from './t38-attributes.js';

const sdp = (lines: string[]) => decodeSdp(new TextEncoder().encode(`${lines.join('\r\n')}\r\n`));
const HEAD = ['v=0', 'o=- 1 2 IN IP4 192.0.2.10', 's=-', 'c=IN IP4 192.0.2.10', 't=0 0'];

describe('T.38 SDP attributes (T.38 Annex D.2.3)', () => {
  it('reads a re-INVITE in the Asterisk style', () => {
    const session = sdp([
      ...HEAD,
      'm=image 4390 udptl t38',
      'a=T38FaxVersion:0',
      'a=T38MaxBitRate:14400',
      'a=T38FaxRateManagement:transferredTCF',
      'a=T38FaxMaxDatagram:400',
      'a=T38FaxUdpEC:t38UDPRedundancy',
    ]);
    assert.deepEqual(decodeT38Parameters(session.media[0].attributes), {
      version: 0,
      maxBitRate: 14400,
      rateManagement: 'transferredTCF',
      maxDatagram: 400,
      errorCorrection: 't38UDPRedundancy',
      fillBitRemoval: false,
      transcodingMmr: false,
      transcodingJbig: false,
    });
  });

  it('reads booleans written as :0 and as bare flags, in mixed case', () => {
    const session = sdp([
      ...HEAD,
      'm=image 30000 UDPTL T38',
      'a=t38faxversion:3',
      'a=t38maxbitrate:33600',
      'a=T38FaxFillBitRemoval',
      'a=T38FaxTranscodingMMR:1',
      'a=T38FAXTRANSCODINGJBIG:0',
      'a=t38faxratemanagement:TransferredTCF',
      'a=T38FaxMaxBuffer:262',
      'a=T38FaxMaxDatagram:72',
      'a=T38FaxUdpEC:T38UDPFEC',
    ]);
    assert.deepEqual(decodeT38Parameters(session.media[0].attributes), {
      version: 3,
      maxBitRate: 33600,
      rateManagement: 'transferredTCF',
      maxBuffer: 262,
      maxDatagram: 72,
      errorCorrection: 't38UDPFEC',
      fillBitRemoval: true,
      transcodingMmr: true,
      transcodingJbig: false,
    });
  });

  it('defaults to version 0 and no error correction when the attributes are absent', () => {
    const parameters = decodeT38Parameters([]);
    assert.equal(parameters.version, 0);
    assert.equal(parameters.errorCorrection, 'none');
    assert.equal(parameters.rateManagement, undefined);
  });

  it('writes Annex D spellings, true booleans as flags and false ones not at all', () => {
    const parameters: T38Parameters = {
      version: 0,
      maxBitRate: 14400,
      rateManagement: 'localTCF',
      maxBuffer: 2000,
      maxDatagram: 1400,
      errorCorrection: 't38UDPRedundancy',
      fillBitRemoval: true,
      transcodingMmr: false,
      transcodingJbig: false,
    };
    const attributes = encodeT38Attributes(parameters);
    const session = { ...sdp([...HEAD, 'm=image 4000 udptl t38']), attributes: [] };
    const text = new TextDecoder().decode(encodeSdp({ ...session, media: [{ ...session.media[0], attributes }] }));
    assert.ok(
      text.endsWith(
        'm=image 4000 udptl t38\r\na=T38FaxVersion:0\r\na=T38MaxBitRate:14400\r\na=T38FaxFillBitRemoval\r\n' +
          'a=T38FaxRateManagement:localTCF\r\na=T38FaxMaxBuffer:2000\r\na=T38FaxMaxDatagram:1400\r\n' +
          'a=T38FaxUdpEC:t38UDPRedundancy\r\n',
      ),
      text,
    );
    assert.deepEqual(decodeT38Parameters(attributes), parameters);
  });

  it('refuses values that are not numbers or known keywords', () => {
    for (const attribute of [
      { name: 'T38FaxVersion', value: 'zero' },
      { name: 'T38FaxVersion' },
      { name: 'T38FaxMaxDatagram', value: '-1' },
      { name: 'T38FaxRateManagement', value: 'remoteTCF' },
      { name: 'T38FaxUdpEC', value: 'parity' },
      { name: 'T38FaxFillBitRemoval', value: 'yes' },
    ]) {
      assert.throws(() => decodeT38Parameters([attribute]), DecodeError, JSON.stringify(attribute));
    }
  });
});
