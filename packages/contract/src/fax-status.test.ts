import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ELAPSED_TIME_UNIT,
  elapsedTimeOf,
  FAX_STATUS_PROPERTIES,
  FAX_STATUS_VALIDITY,
  type FaxStatus,
  type FaxStatusValues,
  faxStatusDuring,
  faxStatusProblems,
  isFaxStatus,
  isValidDuring,
  portActivityOf,
} from './fax-status.js';

const idle: FaxStatus = {
  address: null,
  callerId: null,
  csid: null,
  currentPage: null,
  description: 'Available',
  deviceId: 1,
  deviceName: 'Line 1',
  documentName: null,
  documentSize: null,
  elapsedTime: null,
  pageCount: null,
  receive: false,
  recipientName: null,
  routingString: null,
  send: false,
  senderName: null,
  startTime: null,
  submittedTime: null,
  tsid: null,
};

const sending: FaxStatus = {
  ...idle,
  address: '+1 555 0101',
  csid: '+1 555 0101',
  currentPage: 2,
  description: 'Sending',
  documentName: 'report.pdf',
  documentSize: 48213,
  elapsedTime: 41,
  pageCount: 3,
  recipientName: 'Accounts',
  send: true,
  senderName: 'Ada',
  startTime: '2026-11-23T07:00:00.000Z',
  submittedTime: '2026-11-23T06:59:58.120Z',
  tsid: '+1 555 0100',
};

const receiving: FaxStatus = {
  ...idle,
  callerId: '5550199',
  csid: '+1 555 0100',
  description: 'Receiving',
  elapsedTime: 3,
  receive: true,
  recipientName: '',
  routingString: '5550100',
  startTime: '2026-11-23T07:00:00Z',
  tsid: '',
};

describe('FaxStatus properties', () => {
  it('are exactly the 19 seed properties, in the order fax ports --json prints them', () => {
    const seed =
      'address, callerId, csid, currentPage, description, deviceId, deviceName, documentName, documentSize, ' +
      'elapsedTime, pageCount, receive, recipientName, routingString, send, senderName, startTime, submittedTime, tsid';
    assert.deepEqual(FAX_STATUS_PROPERTIES, seed.split(', '));
    assert.deepEqual(Object.keys(idle), FAX_STATUS_PROPERTIES);
  });

  it('are always valid only for the port identity, its description and the two activity flags', () => {
    const always = FAX_STATUS_PROPERTIES.filter((p) => FAX_STATUS_VALIDITY[p] === 'always');
    assert.deepEqual(always, ['description', 'deviceId', 'deviceName', 'receive', 'send']);
    assert.deepEqual(
      FAX_STATUS_PROPERTIES.filter((p) => FAX_STATUS_VALIDITY[p] === 'receiving'),
      ['callerId', 'routingString'],
    );
  });
});

describe('faxStatusProblems', () => {
  for (const [name, status] of [
    ['idle', idle],
    ['sending', sending],
    ['receiving', receiving],
  ] as const) {
    it(`accepts a port ${name}`, () => {
      assert.deepEqual(faxStatusProblems(status), []);
      assert.equal(isFaxStatus(JSON.parse(JSON.stringify(status))), true);
    });
  }

  const broken: readonly (readonly [string, unknown, string])[] = [
    ['a value where the activity gives none', { ...idle, address: '' }, 'FaxStatus.address must be null while idle'],
    ['null where a value is due', { ...sending, pageCount: null }, 'FaxStatus.pageCount is null while sending'],
    ['a sender while receiving', { ...receiving, senderName: 'Ada' }, 'senderName must be null while receiving'],
    ['a local time', { ...sending, startTime: '2026-11-23T07:00:00' }, 'startTime is "2026-11-23T07:00:00", expected'],
    ['an impossible date', { ...sending, submittedTime: '2026-13-40T07:00:00Z' }, 'FaxStatus.submittedTime is'],
    ['a negative page', { ...sending, currentPage: -1 }, 'FaxStatus.currentPage is -1, expected a count'],
    ['a fractional elapsed time', { ...sending, elapsedTime: 1.5 }, 'FaxStatus.elapsedTime is 1.5'],
    ['a string device id', { ...idle, deviceId: '1' }, 'FaxStatus.deviceId is "1", expected a count'],
    ['a null description', { ...idle, description: null }, 'FaxStatus.description is null, expected a string'],
    ['sending and receiving at once', { ...sending, receive: true }, 'FaxStatus has both send and receive true'],
    ['an extra property', { ...idle, status: 1 }, 'FaxStatus.status is not a known field'],
    ['a missing property', { ...idle, tsid: undefined }, 'FaxStatus.tsid is missing'],
    ['an array', [idle], 'FaxStatus is not an object'],
  ];
  for (const [name, value, problem] of broken) {
    it(`reports ${name}`, () => {
      const json = JSON.parse(JSON.stringify(value));
      const problems = faxStatusProblems(json);
      assert.ok(
        problems.some((p) => p.includes(problem)),
        problems.join('; '),
      );
      assert.equal(isFaxStatus(json), false);
    });
  }
});

describe('port activity', () => {
  it('follows send and receive', () => {
    assert.deepEqual([idle, sending, receiving].map(portActivityOf), ['idle', 'sending', 'receiving']);
  });

  it('decides validity', () => {
    assert.equal(isValidDuring('job', 'receiving'), true);
    assert.equal(isValidDuring('job', 'idle'), false);
    assert.equal(isValidDuring('sending', 'receiving'), false);
    assert.equal(isValidDuring('always', 'idle'), true);
  });
});

describe('faxStatusDuring', () => {
  // Every value a port might hold, as if all were valid; the activity decides which of them the status shows.
  const held: FaxStatusValues = {
    address: '+1 555 0101',
    callerId: '5550199',
    csid: '+1 555 0101',
    currentPage: 2,
    description: 'Sending',
    deviceId: 1,
    deviceName: 'Line 1',
    documentName: 'report.pdf',
    documentSize: 48213,
    elapsedTime: 41,
    pageCount: 3,
    recipientName: 'Accounts',
    routingString: '5550100',
    senderName: 'Ada',
    startTime: '2026-11-23T07:00:00.000Z',
    submittedTime: '2026-11-23T06:59:58.120Z',
    tsid: '+1 555 0100',
  };

  it('keeps only the values valid during the activity, in property order', () => {
    assert.deepEqual(faxStatusDuring('sending', held), sending);
    assert.deepEqual(faxStatusDuring('idle', { ...held, description: 'Available' }), idle);
    const answered = faxStatusDuring('receiving', {
      ...held,
      csid: '+1 555 0100',
      description: 'Receiving',
      elapsedTime: 3,
      recipientName: '',
      startTime: '2026-11-23T07:00:00Z',
      tsid: '',
    });
    assert.deepEqual(answered, receiving);
    for (const status of [faxStatusDuring('idle', held), faxStatusDuring('sending', held), answered]) {
      assert.deepEqual(Object.keys(status), FAX_STATUS_PROPERTIES);
      assert.deepEqual(faxStatusProblems(status), []);
    }
  });
});

describe('elapsedTimeOf', () => {
  it('counts whole seconds, truncating, never negative', () => {
    assert.equal(ELAPSED_TIME_UNIT, 'seconds');
    assert.equal(elapsedTimeOf(1_000, 1_000), 0);
    assert.equal(elapsedTimeOf(1_000, 1_999), 0);
    assert.equal(elapsedTimeOf(1_000, 62_000), 61);
    assert.equal(elapsedTimeOf(5_000, 1_000), 0);
  });
});
