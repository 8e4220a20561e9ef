import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type AudioCapabilities, answerAudioOffer } from './audio-offer-answer.js';
import { decodeSdp, encodeSdp, findSdpAttribute, type SdpSession } from './sdp.js';
import {
  answerSdpOffer,
  classifySdpOffer,
  createSdpOffer,
  readSdpAnswer,
  type SdpEndpoint,
} from './sdp-offer-answer.js';
import { decodeT38Parameters } from './t38-attributes.js';
import { answerT38Offer, DEFAULT_T38_CAPABILITIES, t38SessionFromAnswer } from './t38-offer-answer.js';

const sdp = (lines: string[]) => decodeSdp(new TextEncoder().encode(`${lines.join('\r\n')}\r\n`));
const text = (session: SdpSession) => new TextDecoder().decode(encodeSdp(session));

const AUDIO: AudioCapabilities = { codecs: ['PCMU', 'PCMA'], telephoneEvent: true };
const LOCAL: SdpEndpoint = {
  origin: {
    username: 'faxd',
    sessionId: '42',
    sessionVersion: '1',
    netType: 'IN',
    addrType: 'IP4',
    address: '192.0.2.20',
  },
  address: '192.0.2.20',
  audio: { port: 40100, capabilities: AUDIO },
  t38: { port: 40102, capabilities: DEFAULT_T38_CAPABILITIES },
};

/** A FreeSWITCH-style switch to T.38: the audio line kept with port 0, booleans sent as :0. */
const SWITCH_TO_T38 = sdp([
  'v=0',
  'o=FreeSWITCH 1700000000 1700000001 IN IP4 198.51.100.5',
  's=FreeSWITCH',
  'c=IN IP4 198.51.100.5',
  't=0 0',
  'm=audio 0 RTP/AVP 0 8 101',
  'm=image 22334 udptl t38',
  'a=T38FaxVersion:0',
  'a=T38MaxBitRate:14400',
  'a=T38FaxFillBitRemoval:0',
  'a=T38FaxTranscodingMMR:0',
  'a=T38FaxTranscodingJBIG:0',
  'a=T38FaxRateManagement:transferredTCF',
  'a=T38FaxMaxBuffer:2000',
  'a=T38FaxMaxDatagram:400',
  'a=T38FaxUdpEC:t38UDPRedundancy',
]);

/** A carrier's initial INVITE: A-law preferred, telephone-event at 96, sendonly. */
const CARRIER_AUDIO = sdp([
  'v=0',
  'o=carrier 5 6 IN IP4 203.0.113.7',
  's=-',
  't=0 0',
  'm=audio 31000 RTP/AVP 18 8 0 96',
  'c=IN IP4 203.0.113.8',
  'a=rtpmap:18 G729/8000',
  'a=rtpmap:96 telephone-event/8000',
  'a=fmtp:96 0-15',
  'a=sendonly',
]);

describe('T.38 offer/answer', () => {
  it('answers with the lower version and bit rate, echoes rate management, keeps redundancy, declines fill-bit removal and transcoding', () => {
    const offer = {
      ...decodeT38Parameters(SWITCH_TO_T38.media[1].attributes),
      version: 2,
      maxBitRate: 33600,
      fillBitRemoval: true,
      transcodingMmr: true,
      transcodingJbig: true,
    };
    const { answer, session } = answerT38Offer(offer, { ...DEFAULT_T38_CAPABILITIES, maxVersion: 1 });
    assert.deepEqual(answer, {
      version: 1,
      maxBitRate: 14400,
      rateManagement: 'transferredTCF',
      maxBuffer: 2000,
      maxDatagram: 1400,
      errorCorrection: 't38UDPRedundancy',
      fillBitRemoval: false,
      transcodingMmr: false,
      transcodingJbig: false,
    });
    assert.deepEqual(session, {
      version: 1,
      maxBitRate: 14400,
      rateManagement: 'transferredTCF',
      errorCorrection: 't38UDPRedundancy',
      farMaxDatagram: 400,
    });
  });

  it('falls back from FEC to redundancy, keeps none, and makes the far datagram size sane', () => {
    const base = decodeT38Parameters([]);
    assert.equal(
      answerT38Offer({ ...base, errorCorrection: 't38UDPFEC' }, DEFAULT_T38_CAPABILITIES).answer.errorCorrection,
      't38UDPRedundancy',
    );
    assert.equal(answerT38Offer(base, DEFAULT_T38_CAPABILITIES).answer.errorCorrection, 'none');
    assert.equal(
      answerT38Offer(base, DEFAULT_T38_CAPABILITIES).session.farMaxDatagram,
      400,
      'absent: a common default',
    );
    assert.equal(answerT38Offer({ ...base, maxDatagram: 72 }, DEFAULT_T38_CAPABILITIES).session.farMaxDatagram, 100);
    assert.equal(
      answerT38Offer({ ...base, maxDatagram: 65000 }, DEFAULT_T38_CAPABILITIES).session.farMaxDatagram,
      1400,
    );
  });

  it('reads the session an answer to our offer sets up', () => {
    const ours = decodeT38Parameters(SWITCH_TO_T38.media[1].attributes);
    const theirs = { ...ours, version: 0, maxDatagram: 300, errorCorrection: 'none' as const };
    assert.deepEqual(t38SessionFromAnswer(ours, theirs), {
      version: 0,
      maxBitRate: 14400,
      rateManagement: 'transferredTCF',
      errorCorrection: 'none',
      farMaxDatagram: 300,
    });
  });
});

describe('audio offer/answer (RFC 3264 §6.1)', () => {
  it('takes the first offered G.711 codec, telephone-event at the offered payload type, and mirrors the direction', () => {
    const answered = answerAudioOffer(CARRIER_AUDIO.media[0], AUDIO, 40100);
    assert.deepEqual(answered?.selection, { codec: 'PCMA', payloadType: 8, telephoneEventPayloadType: 96 });
    assert.deepEqual(answered?.media.formats, ['8', '96']);
    assert.deepEqual(
      answered?.media.attributes.map((a) => (a.value === undefined ? a.name : `${a.name}:${a.value}`)),
      ['rtpmap:8 PCMA/8000', 'rtpmap:96 telephone-event/8000', 'fmtp:96 0-16', 'ptime:20', 'recvonly'],
    );
  });

  it('refuses audio without G.711, with SRTP, or disabled', () => {
    const g729 = sdp(['v=0', 'o=- 1 1 IN IP4 h', 's=-', 'm=audio 5000 RTP/AVP 18', 'a=rtpmap:18 G729/8000']).media[0];
    assert.equal(answerAudioOffer(g729, AUDIO, 1), undefined);
    assert.equal(answerAudioOffer({ ...CARRIER_AUDIO.media[0], protocol: 'RTP/SAVP' }, AUDIO, 1), undefined);
    assert.equal(answerAudioOffer({ ...CARRIER_AUDIO.media[0], port: 0 }, AUDIO, 1), undefined);
  });
});

describe('session offer/answer', () => {
  it('recognises an offer that switches audio to T.38', () => {
    assert.deepEqual(classifySdpOffer(SWITCH_TO_T38), { t38: 1, switchesToT38: true });
    assert.deepEqual(classifySdpOffer(CARRIER_AUDIO), { audio: 0, switchesToT38: false });
    const both = { ...SWITCH_TO_T38, media: [CARRIER_AUDIO.media[0], SWITCH_TO_T38.media[1]] };
    assert.deepEqual(classifySdpOffer(both), { audio: 0, t38: 1, switchesToT38: false });
  });

  it('answers the switch with one line per offered line: audio refused with port 0, image accepted', () => {
    const { answer, accepted } = answerSdpOffer(SWITCH_TO_T38, LOCAL);
    assert.deepEqual(accepted, {
      kind: 't38',
      index: 1,
      remote: { address: '198.51.100.5', port: 22334 },
      session: {
        version: 0,
        maxBitRate: 14400,
        rateManagement: 'transferredTCF',
        errorCorrection: 't38UDPRedundancy',
        farMaxDatagram: 400,
      },
    });
    assert.equal(
      text(answer),
      [
        'v=0',
        'o=faxd 42 1 IN IP4 192.0.2.20',
        's=faxd',
        'c=IN IP4 192.0.2.20',
        't=0 0',
        'm=audio 0 RTP/AVP 0 8 101',
        'm=image 40102 udptl t38',
        'a=T38FaxVersion:0',
        'a=T38MaxBitRate:14400',
        'a=T38FaxRateManagement:transferredTCF',
        'a=T38FaxMaxBuffer:2000',
        'a=T38FaxMaxDatagram:1400',
        'a=T38FaxUdpEC:t38UDPRedundancy',
        '',
      ].join('\r\n'),
    );
  });

  it('answers audio at the media-level address when T.38 is not offered, and refuses everything when nothing fits', () => {
    const { accepted } = answerSdpOffer(CARRIER_AUDIO, LOCAL);
    assert.deepEqual(accepted, {
      kind: 'audio',
      index: 0,
      remote: { address: '203.0.113.8', port: 31000 },
      selection: { codec: 'PCMA', payloadType: 8, telephoneEventPayloadType: 96 },
    });
    const refused = answerSdpOffer(SWITCH_TO_T38, { ...LOCAL, t38: undefined });
    assert.equal(refused.accepted, undefined);
    assert.deepEqual(
      refused.answer.media.map((m) => m.port),
      [0, 0],
    );
  });

  it('makes offers (audio first, or T.38 alone for the switch) and reads their answers', () => {
    const offer = createSdpOffer({ ...LOCAL, t38: undefined });
    assert.equal(
      text(offer)
        .split('\r\n')
        .find((line) => line.startsWith('m=')),
      'm=audio 40100 RTP/AVP 0 8 101',
    );
    const t38Offer = createSdpOffer({ ...LOCAL, audio: undefined });
    assert.equal(t38Offer.media.length, 1);
    assert.equal(findSdpAttribute(t38Offer.media[0].attributes, 't38faxudpec')?.value, 't38UDPRedundancy');
    // The far end answers our T.38 offer as a PBX would, with its own limits.
    const { answer } = answerSdpOffer(decodeSdp(encodeSdp(t38Offer)), {
      ...LOCAL,
      origin: { ...LOCAL.origin, username: 'pbx' },
    });
    const accepted = readSdpAnswer(t38Offer, decodeSdp(encodeSdp(answer)));
    assert.equal(accepted?.kind, 't38');
    assert.equal(accepted?.kind === 't38' && accepted.session.farMaxDatagram, 1400);
    const audioAnswer = answerSdpOffer(decodeSdp(encodeSdp(offer)), { ...LOCAL, t38: undefined }).answer;
    assert.deepEqual(readSdpAnswer(offer, audioAnswer), {
      kind: 'audio',
      index: 0,
      remote: { address: '192.0.2.20', port: 40100 },
      selection: { codec: 'PCMU', payloadType: 0, telephoneEventPayloadType: 101 },
    });
    assert.equal(readSdpAnswer(offer, { ...audioAnswer, media: [{ ...audioAnswer.media[0], port: 0 }] }), undefined);
  });
});
