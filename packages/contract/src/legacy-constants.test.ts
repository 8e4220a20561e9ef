import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  FAX_LEGACY_JOB_COMMAND,
  FAX_LEGACY_JOB_TYPE,
  FAX_LEGACY_PORT_STATUS,
  FAX_LEGACY_PORT_STATUS_TEXT,
  FAX_LEGACY_QUEUE_STATUS,
  FAX_LEGACY_QUEUE_STATUS_TEXT,
} from './legacy-constants.js';

describe('winfax.h constants', () => {
  it('job types, queue states and commands', () => {
    assert.deepEqual(Object.values(FAX_LEGACY_JOB_TYPE), [0, 1, 2, 3, 4]);
    assert.deepEqual(Object.values(FAX_LEGACY_QUEUE_STATUS), [0, 1, 2, 4, 8, 0x10, 0x20, 0x40]);
    assert.equal(FAX_LEGACY_QUEUE_STATUS.JS_RETRIES_EXCEEDED, 0x40);
    assert.equal(FAX_LEGACY_JOB_COMMAND.JC_RESTART, FAX_LEGACY_JOB_COMMAND.JC_RESUME);
    assert.deepEqual(FAX_LEGACY_JOB_COMMAND, { JC_UNKNOWN: 0, JC_DELETE: 1, JC_PAUSE: 2, JC_RESUME: 3, JC_RESTART: 3 });
  });

  it('port states: 0x2000xxxx, one bit each, with their display text', () => {
    const expected: Readonly<Record<string, [number, string]>> = {
      FPS_DIALING: [0x20000001, 'Dialing'],
      FPS_SENDING: [0x20000002, 'Sending'],
      FPS_RECEIVING: [0x20000004, 'Receiving'],
      FPS_COMPLETED: [0x20000008, 'Completed'],
      FPS_HANDLED: [0x20000010, 'Handled'],
      FPS_UNAVAILABLE: [0x20000020, 'Unavailable'],
      FPS_BUSY: [0x20000040, 'Busy'],
      FPS_NO_ANSWER: [0x20000080, 'No Answer'],
      FPS_BAD_ADDRESS: [0x20000100, 'Bad Address'],
      FPS_NO_DIAL_TONE: [0x20000200, 'No Dial Tone'],
      FPS_DISCONNECTED: [0x20000400, 'Disconnected'],
      FPS_FATAL_ERROR: [0x20000800, 'Fatal Error'],
      FPS_NOT_FAX_CALL: [0x20001000, 'Not a Fax Call'],
      FPS_CALL_DELAYED: [0x20002000, 'Call Delayed'],
      FPS_CALL_BLACKLISTED: [0x20004000, 'Call Blacklisted'],
      FPS_INITIALIZING: [0x20008000, 'Initializing'],
      FPS_OFFLINE: [0x20010000, 'Offline'],
      FPS_RINGING: [0x20020000, 'Ringing'],
      FPS_AVAILABLE: [0x20100000, 'Available'],
      FPS_ABORTING: [0x20200000, 'Aborting'],
      FPS_ROUTING: [0x20400000, 'Routing'],
      FPS_ANSWERED: [0x20800000, 'Answered'],
    };
    const actual = Object.fromEntries(
      Object.entries(FAX_LEGACY_PORT_STATUS).map(([name, value]) => [
        name,
        [value, FAX_LEGACY_PORT_STATUS_TEXT[name as keyof typeof FAX_LEGACY_PORT_STATUS]],
      ]),
    );
    assert.deepEqual(actual, expected);
  });

  it('queue state text for every JS_ value', () => {
    assert.deepEqual(Object.keys(FAX_LEGACY_QUEUE_STATUS_TEXT), Object.keys(FAX_LEGACY_QUEUE_STATUS));
    assert.equal(FAX_LEGACY_QUEUE_STATUS_TEXT.JS_NOLINE, 'No Line');
  });
});
