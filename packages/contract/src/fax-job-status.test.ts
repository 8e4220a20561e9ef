import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  FAX_JOB_STATUS_PROPERTIES,
  type FaxJobStatus,
  faxJobStatusProblems,
  isFaxJobStatus,
} from './fax-job-status.js';

const sending: FaxJobStatus = {
  jobId: 'j-42',
  status: 2,
  pages: 3,
  size: 48213,
  currentPage: 2,
  deviceId: 1,
  csid: '+1 555 0101',
  tsid: '+1 555 0100',
  extendedStatusCode: 4,
  extendedStatus: '',
  availableOperations: 0x71,
  retries: 0,
  jobType: 0,
  scheduledTime: '2026-11-23T07:00:00.000Z',
  transmissionStart: '2026-11-23T07:00:01.000Z',
  transmissionEnd: null,
  callerId: '',
  routingInformation: '',
};

const routed: FaxJobStatus = {
  ...sending,
  jobId: 'r-7',
  status: 256,
  pages: 2,
  currentPage: 2,
  extendedStatusCode: 16,
  availableOperations: 1,
  jobType: 2,
  scheduledTime: null,
  transmissionEnd: '2026-11-23T07:01:00.000Z',
  callerId: '5550199',
  routingInformation: '5550100',
};

describe('FaxJobStatus properties', () => {
  it('are the job id and the 17 IFaxJobStatus properties in vtable order', () => {
    const expected =
      'jobId status pages size currentPage deviceId csid tsid extendedStatusCode extendedStatus availableOperations ' +
      'retries jobType scheduledTime transmissionStart transmissionEnd callerId routingInformation';
    assert.deepEqual(FAX_JOB_STATUS_PROPERTIES, expected.split(' '));
    assert.deepEqual(Object.keys(sending), FAX_JOB_STATUS_PROPERTIES);
  });
});

describe('faxJobStatusProblems', () => {
  it('accepts a page being sent, a queued job without a line, a routed partial fax', () => {
    const queued = { ...sending, status: 0x11, currentPage: 0, deviceId: null, availableOperations: 0x75 };
    for (const status of [sending, { ...queued, transmissionStart: null }, routed]) {
      assert.deepEqual(faxJobStatusProblems(JSON.parse(JSON.stringify(status))), []);
    }
    assert.equal(isFaxJobStatus(sending), true);
  });

  it('accepts a proprietary extended code', () => {
    assert.deepEqual(faxJobStatusProblems({ ...sending, extendedStatusCode: 0x1000005, extendedStatus: 'x' }), []);
  });

  const broken: readonly (readonly [string, unknown, string])[] = [
    ['two base states', { ...sending, status: 3 }, 'FaxJobStatus.status 3 is not a job status'],
    ['an unknown job type', { ...sending, jobType: 3 }, 'FaxJobStatus.jobType 3 is not a fjt value'],
    ['operations the state does not offer', { ...sending, availableOperations: 0x73 }, 'does not match the status'],
    [
      'an extended code Windows does not define',
      { ...sending, extendedStatusCode: 20 },
      'extendedStatusCode 20 is not a fjes value',
    ],
    ['an outbound job without a schedule', { ...sending, scheduledTime: null }, 'scheduledTime must be set'],
    ['an inbound job with a schedule', { ...routed, scheduledTime: sending.scheduledTime }, 'scheduledTime must be'],
    ['an end without a start', { ...routed, transmissionStart: null }, 'transmissionEnd is set but'],
    ['a missing job id', { ...sending, jobId: undefined }, 'FaxJobStatus.jobId is missing'],
    ['a numeric job id', { ...sending, jobId: 42 }, 'FaxJobStatus.jobId is 42, expected a string'],
    ['a null csid', { ...sending, csid: null }, 'FaxJobStatus.csid is null, expected a string'],
    ['a local time', { ...sending, transmissionStart: '2026-11-23 07:00:01' }, 'FaxJobStatus.transmissionStart is'],
  ];
  for (const [name, value, problem] of broken) {
    it(`reports ${name}`, () => {
      const problems = faxJobStatusProblems(JSON.parse(JSON.stringify(value)));
      assert.ok(
        problems.some((p) => p.includes(problem)),
        problems.join('; '),
      );
    });
  }
});
