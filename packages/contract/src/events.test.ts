import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  argumentsOf,
  comMethodNameOf,
  eventMaskOf,
  eventNamesIn,
  FAX_SERVER_EVENT_NAMES,
  type FaxServerEvent,
  faxServerEventProblems,
  isFaxServerEvent,
  isSubscribed,
} from './events.js';
import type { FaxJobStatus } from './fax-job-status.js';

const jobStatus: FaxJobStatus = {
  jobId: 'j-1',
  status: 1,
  pages: 1,
  size: 1000,
  currentPage: 0,
  deviceId: null,
  csid: '',
  tsid: '',
  extendedStatusCode: 0,
  extendedStatus: '',
  availableOperations: 0x73,
  retries: 0,
  jobType: 0,
  scheduledTime: '2026-11-23T07:00:00.000Z',
  transmissionStart: null,
  transmissionEnd: null,
  callerId: '',
  routingInformation: '',
};
const inboundStatus: FaxJobStatus = {
  ...jobStatus,
  jobId: 'r-1',
  status: 2,
  availableOperations: 0x10, // fjoDELETE: a reception on the line has nothing to view yet
  jobType: 1,
  scheduledTime: null,
};

const CONFIG_EVENTS = [
  'receiptOptionsChange',
  'activityLoggingConfigChange',
  'securityConfigChange',
  'eventLoggingConfigChange',
  'outgoingQueueConfigChange',
  'outgoingArchiveConfigChange',
  'incomingArchiveConfigChange',
  'devicesConfigChange',
  'outboundRoutingGroupsConfigChange',
  'outboundRoutingRulesConfigChange',
] as const;

/** One sample of every event in IFaxServerNotify2's vtable order, with the subscription bit of reference §2.3. */
const SAMPLES: readonly (readonly [FaxServerEvent, number])[] = [
  [{ event: 'incomingJobAdded', jobId: 'r-1' }, 0x1],
  [{ event: 'incomingJobRemoved', jobId: 'r-1' }, 0x1],
  [{ event: 'incomingJobChanged', jobId: 'r-1', status: inboundStatus }, 0x1],
  [{ event: 'outgoingJobAdded', jobId: 'j-1' }, 0x2],
  [{ event: 'outgoingJobRemoved', jobId: 'j-1' }, 0x2],
  [{ event: 'outgoingJobChanged', jobId: 'j-1', status: jobStatus }, 0x2],
  [{ event: 'incomingMessageAdded', messageId: 'r-1' }, 0x20],
  [{ event: 'incomingMessageRemoved', messageId: 'r-1' }, 0x20],
  [{ event: 'outgoingMessageAdded', messageId: 'j-1' }, 0x40],
  [{ event: 'outgoingMessageRemoved', messageId: 'j-1' }, 0x40],
  ...CONFIG_EVENTS.map((event) => [{ event }, 0x4] as const),
  [
    { event: 'serverActivityChange', incomingMessages: 1, routingMessages: 0, outgoingMessages: 2, queuedMessages: 5 },
    8,
  ],
  [
    {
      event: 'queuesStatusChange',
      outgoingQueueBlocked: false,
      outgoingQueuePaused: true,
      incomingQueueBlocked: false,
    },
    16,
  ],
  [{ event: 'newCall', callId: 7, deviceId: 2, callerId: '5550199' }, 0x200],
  [{ event: 'serverShutDown' }, 0x80],
  [
    { event: 'deviceStatusChange', deviceId: 2, poweredOff: false, sending: false, receiving: true, ringing: false },
    0x100,
  ],
  [{ event: 'generalServerConfigChanged' }, 0x4],
];

describe('event names', () => {
  it('follow IFaxServerNotify2 method by method, in vtable order', () => {
    assert.equal(FAX_SERVER_EVENT_NAMES.length, 26);
    assert.deepEqual(
      FAX_SERVER_EVENT_NAMES,
      SAMPLES.map(([sample]) => sample.event),
    );
  });

  it('map back to the COM sink methods', () => {
    assert.equal(comMethodNameOf('outgoingJobChanged'), 'OnOutgoingJobChanged');
    assert.equal(comMethodNameOf('serverShutDown'), 'OnServerShutDown');
    assert.equal(comMethodNameOf('generalServerConfigChanged'), 'OnGeneralServerConfigChanged');
  });
});

describe('eventMaskOf', () => {
  for (const [sample, mask] of SAMPLES) {
    it(`subscribes to ${sample.event} with ${mask}`, () => {
      assert.equal(eventMaskOf(sample), mask);
      assert.equal(eventMaskOf(sample.event), mask);
      assert.equal(isSubscribed(mask | 0x400, sample), true);
      assert.equal(isSubscribed(0x3ff & ~mask, sample), false);
    });
  }

  it('lists what a mask delivers', () => {
    assert.deepEqual(eventNamesIn(0x2 | 0x200), [
      'outgoingJobAdded',
      'outgoingJobRemoved',
      'outgoingJobChanged',
      'newCall',
    ]);
    assert.deepEqual(eventNamesIn(0), []);
    assert.equal(eventNamesIn(0x3ff).length, 26);
  });
});

describe('argumentsOf', () => {
  it('gives every argument of every event, in COM order', () => {
    for (const [sample] of SAMPLES) {
      const values = argumentsOf(sample);
      assert.deepEqual(values, Object.values(sample).slice(1), sample.event);
    }
  });

  it('types the tuple the SDK listener receives', () => {
    const [jobId, status] = argumentsOf<'outgoingJobChanged'>({
      event: 'outgoingJobChanged',
      jobId: 'j-1',
      status: jobStatus,
    });
    assert.equal(jobId.length + status.pages, 4);
  });
});

describe('faxServerEventProblems', () => {
  for (const [sample] of SAMPLES) {
    it(`accepts ${sample.event} as JSON`, () => {
      assert.deepEqual(faxServerEventProblems(JSON.parse(JSON.stringify(sample))), []);
    });
  }

  const broken: readonly (readonly [string, unknown, string])[] = [
    ['an unknown event', { event: 'outgoingJobChange', jobId: 'j-1' }, 'event "outgoingJobChange" is not a known'],
    ['a missing argument', { event: 'newCall', callId: 7, deviceId: 2 }, 'newCall.callerId is missing'],
    ['an extra argument', { event: 'outgoingJobAdded', jobId: 'j', status: 1 }, 'outgoingJobAdded.status is not'],
    ['a wrong type', { event: 'deviceStatusChange', ...{ deviceId: 2, poweredOff: 0 } }, 'poweredOff is 0'],
    [
      'a bad job status',
      { event: 'outgoingJobChanged', jobId: 'j-1', status: { ...jobStatus, status: 0 } },
      'FaxJobStatus.status 0 is not a job status',
    ],
    [
      'a status of another job',
      { event: 'outgoingJobChanged', jobId: 'j-2', status: jobStatus },
      'outgoingJobChanged.status.jobId differs from jobId',
    ],
    [
      'an outbound job in an incoming event',
      { event: 'incomingJobChanged', jobId: 'j-1', status: jobStatus },
      'incomingJobChanged carries a job of type 0',
    ],
    ['no event name', { jobId: 'j-1' }, 'event undefined is not a known event'],
    ['a string', 'outgoingJobAdded', 'event is not an object'],
  ];
  for (const [name, value, problem] of broken) {
    it(`reports ${name}`, () => {
      const problems = faxServerEventProblems(value);
      assert.ok(
        problems.some((p) => p.includes(problem)),
        problems.join('; '),
      );
      assert.equal(isFaxServerEvent(value), false);
    });
  }
});
