import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeT30Frame, type Modem } from '@faxd/protocol';
import { type CallMedia, createFaxStation } from './fax-station.js';

/** The modems in the DIS a receiving station sends first, T.38 or audio, offering `modems`. */
function offered(media: CallMedia, modems: readonly Modem[]): Modem[] {
  const { station } = createFaxStation({
    role: 'answering',
    ident: 'RX',
    ecm: true,
    compression: 'mmr',
    redundancy: 3,
    media,
    modems,
  });
  for (const output of station.session.receive({ type: 'start' }, 0)) {
    if (output.type !== 'send-hdlc') continue;
    for (const bytes of output.frames) {
      const { frame } = decodeT30Frame(bytes);
      if (frame.type === 'DIS') return [...frame.dis.modems].sort();
    }
  }
  throw new Error('no DIS sent');
}

describe('createFaxStation: the modems a receiver offers', () => {
  for (const media of ['t38', 'pcmu'] as const) {
    it(`${media}: the modems asked for, or the smallest set T.30's DIS can name that holds them`, () => {
      assert.deepEqual(offered(media, ['v29']), ['v29']);
      assert.deepEqual(offered(media, ['v27ter']), ['v27ter']);
      assert.deepEqual(offered(media, ['v29', 'v27ter']), ['v27ter', 'v29']);
      // V.17 is named only together with V.29 and V.27 ter.
      assert.deepEqual(offered(media, ['v17']), ['v17', 'v27ter', 'v29']);
      assert.deepEqual(offered(media, ['v17', 'v29']), ['v17', 'v27ter', 'v29']);
    });
  }
  it('an RTP station for pcmu and pcma, a T.38 station otherwise', () => {
    const kinds = (['t38', 'pcmu', 'pcma'] as const).map(
      (media) =>
        createFaxStation({ role: 'calling', ident: '', ecm: true, compression: 'mh', redundancy: 3, media }).station
          .constructor.name,
    );
    assert.deepEqual(kinds, ['T38Station', 'RtpFaxStation', 'RtpFaxStation']);
  });
});
