import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FAX_JOB_STATUS_ENUM as S, FAX_JOB_TYPE_ENUM as T, FAX_JOB_EXTENDED_STATUS_ENUM as X } from './job-enums.js';
import { availableOperations } from './job-operations.js';
import { hasLeftQueue, initialJobState, isFinal, type JobState, jobStateProblems, transitionJob } from './job-state.js';
import { JOB_TRANSITIONS, type JobEvent } from './job-transitions.js';

const send = () => initialJobState(T.fjtSEND);
const receive = () => initialJobState(T.fjtRECEIVE);

/** Applies events that must all be accepted. */
function run(start: JobState, events: readonly JobEvent[]): JobState {
  let state = start;
  for (const event of events) {
    const next = transitionJob(Object.freeze(state), event);
    assert.ok(next.ok, next.ok ? '' : next.error);
    state = next.state;
  }
  return state;
}

const dispatched: JobEvent = { type: 'dispatched' };
const dialing: JobEvent = { type: 'dialing' };
const page = (n: number): JobEvent => ({ type: 'transmitting', page: n });
const rxPage = (n: number): JobEvent => ({ type: 'receiving', page: n });
const busy: JobEvent = { type: 'retryScheduled', reason: X.fjesBUSY };
const exceeded: JobEvent = { type: 'retriesExceeded', reason: X.fjesNO_ANSWER };
const cancel: JobEvent = { type: 'cancelRequested' };
const received: JobEvent = { type: 'received', partial: false };
const routingRetry: JobEvent = { type: 'retryScheduled', reason: X.fjesNONE };
/** An event whose reason is outside JobFailureReason, as a careless caller could build. */
const withReason = (type: 'retryScheduled' | 'failed', reason: number) => ({ type, reason }) as unknown as JobEvent;

type Edge = readonly [string, () => JobState, JobEvent, number, number];

// Every edge of the two diagrams of the Windows "Fax Job Status" page (reference §4.1, §4.2), with a path to its
// source state, the event that takes it, and the status and extended status expected after it.
const DIAGRAM_EDGES: readonly Edge[] = [
  ['send PENDING → INPROGRESS', send, dispatched, S.fjsINPROGRESS, X.fjesINITIALIZING],
  ['send PENDING → CANCELED', send, cancel, S.fjsCANCELED, X.fjesNONE],
  ['send PENDING → RETRIES_EXCEEDED', send, { type: 'retriesExceeded', reason: 0 }, S.fjsRETRIES_EXCEEDED, 0],
  ['send INPROGRESS → COMPLETED', () => run(send(), [dispatched, dialing, page(1)]), { type: 'completed' }, 256, 18],
  ['send INPROGRESS → RETRYING', () => run(send(), [dispatched]), busy, S.fjsRETRYING, X.fjesBUSY],
  ['send RETRYING → INPROGRESS', () => run(send(), [dispatched, busy]), dispatched, 2, X.fjesINITIALIZING],
  ['send INPROGRESS → RETRIES_EXCEEDED', () => run(send(), [dispatched]), exceeded, 128, X.fjesNO_ANSWER],
  ['send INPROGRESS → CANCELING', () => run(send(), [dispatched, dialing]), cancel, S.fjsCANCELING, X.fjesDIALING],
  ['send INPROGRESS → CANCELED', () => run(send(), [dispatched]), { type: 'canceled' }, 512, X.fjesCALL_ABORTED],
  ['send CANCELING → CANCELED', () => run(send(), [dispatched, cancel]), { type: 'canceled' }, 512, 19],
  ['send CANCELING → COMPLETED', () => run(send(), [dispatched, page(1), cancel]), { type: 'completed' }, 256, 18],
  ['send RETRIES_EXCEEDED → PENDING', () => run(send(), [dispatched, exceeded]), { type: 'restarted' }, 1, 0],
  ['send RETRIES_EXCEEDED → CANCELED', () => run(send(), [dispatched, exceeded]), cancel, 512, X.fjesNO_ANSWER],
  ['receive INPROGRESS → FAILED', receive, { type: 'failed', reason: X.fjesNOT_FAX_CALL }, S.fjsFAILED, 15],
  ['receive INPROGRESS → CANCELING', receive, cancel, S.fjsCANCELING, X.fjesANSWERED],
  ['receive INPROGRESS → ROUTING', () => run(receive(), [rxPage(1)]), received, S.fjsROUTING, 18],
  ['receive CANCELING → CANCELED', () => run(receive(), [cancel]), { type: 'canceled' }, S.fjsCANCELED, 19],
  ['receive CANCELING → ROUTING', () => run(receive(), [rxPage(1), cancel]), received, S.fjsROUTING, 18],
  ['routing ROUTING → RETRYING', () => run(receive(), [rxPage(1), received]), routingRetry, S.fjsRETRYING, 0],
  ['routing ROUTING → RETRIES_EXCEEDED', () => run(receive(), [rxPage(1), received]), exceeded, 128, 9],
  ['routing RETRYING → INPROGRESS', () => run(receive(), [rxPage(1), received, routingRetry]), dispatched, 2, 0],
  [
    'routing INPROGRESS → RETRYING',
    () => run(receive(), [rxPage(1), received, routingRetry, dispatched]),
    routingRetry,
    S.fjsRETRYING,
    0,
  ],
  [
    'routing INPROGRESS → RETRIES_EXCEEDED',
    () => run(receive(), [rxPage(1), received, routingRetry, dispatched]),
    exceeded,
    S.fjsRETRIES_EXCEEDED,
    X.fjesNO_ANSWER,
  ],
  ['routing RETRYING → RETRIES_EXCEEDED', () => run(receive(), [rxPage(1), received, routingRetry]), exceeded, 128, 9],
];

describe('transitionJob along the Windows diagrams', () => {
  for (const [name, from, event, status, ext] of DIAGRAM_EDGES) {
    it(name, () => {
      const before = from();
      const next = transitionJob(before, event);
      assert.ok(next.ok, next.ok ? '' : next.error);
      assert.equal(next.state.status, status);
      assert.equal(next.state.extendedStatusCode, ext);
    });
  }

  it('marks exactly the diagram edges as such in the table', () => {
    const fromTable = JOB_TRANSITIONS.filter((rule) => rule.source === 'diagram').map(
      (rule) => `${rule.jobType}:${rule.from}->${rule.to}`,
    );
    const fromDiagrams = DIAGRAM_EDGES.map(([, from, event]) => {
      const before = from();
      const next = transitionJob(before, event);
      return `${before.jobType}:${before.status & ~0x30}->${next.ok ? next.state.status : '?'}`;
    });
    assert.deepEqual(new Set(fromTable), new Set(fromDiagrams));
  });

  it('never has two rules for one job type, state and event', () => {
    const keys = JOB_TRANSITIONS.map((rule) => `${rule.jobType}:${rule.from}:${rule.event}`);
    assert.equal(new Set(keys).size, keys.length);
  });

  it('gives every faxd edge a reason', () => {
    for (const rule of JOB_TRANSITIONS.filter((r) => r.source === 'faxd')) assert.ok(rule.why, rule.event);
  });
});

describe('transitionJob through whole jobs', () => {
  it('sends three pages: status, extended status and page at each step', () => {
    const states = [dispatched, dialing, page(1), page(2), page(3), { type: 'completed' } as const].map(
      (_, i, events) => run(send(), events.slice(0, i + 1)),
    );
    assert.deepEqual(
      states.map((s) => [s.status, s.extendedStatusCode, s.currentPage]),
      [
        [2, 2, 0],
        [2, 3, 0],
        [2, 4, 1],
        [2, 4, 2],
        [2, 4, 3],
        [256, 18, 3],
      ],
    );
  });

  it('counts retries, starts each attempt at page 0, and restart gives a fresh budget', () => {
    const twice = run(send(), [dispatched, page(2), busy, dispatched, page(1), busy]);
    assert.deepEqual(twice, { jobType: 0, status: S.fjsRETRYING, extendedStatusCode: 8, retries: 2, currentPage: 1 });
    const restarted = run(twice, [dispatched, exceeded, { type: 'restarted' }]);
    assert.deepEqual(restarted, send());
  });

  it('routes a partial reception and keeps fjesPARTIALLY_RECEIVED to the end', () => {
    const done = run(receive(), [rxPage(1), rxPage(2), { type: 'received', partial: true }, { type: 'routed' }]);
    assert.deepEqual(done, { jobType: 2, status: 256, extendedStatusCode: 16, retries: 0, currentPage: 2 });
  });

  it('sets and clears the PAUSED and NOLINE modifiers on a queued job', () => {
    const waiting = run(send(), [{ type: 'noLine' }, { type: 'paused' }]);
    assert.equal(waiting.status, S.fjsPENDING | S.fjsNOLINE | S.fjsPAUSED);
    const resumed = run(waiting, [{ type: 'resumed' }]);
    assert.equal(resumed.status, S.fjsPENDING | S.fjsNOLINE);
    assert.equal(run(resumed, [dispatched]).status, S.fjsINPROGRESS);
    assert.equal(run(send(), [dispatched, busy, { type: 'paused' }]).status, S.fjsRETRYING | S.fjsPAUSED);
  });
});

const REFUSED: readonly (readonly [string, () => JobState, JobEvent])[] = [
  ['completing a queued job', send, { type: 'completed' }],
  ['a page before dispatch', send, page(1)],
  ['dispatching a paused job', () => run(send(), [{ type: 'paused' }]), dispatched],
  ['pausing twice', () => run(send(), [{ type: 'paused' }]), { type: 'paused' }],
  ['resuming a job that is not paused', send, { type: 'resumed' }],
  ['noLine twice', () => run(send(), [{ type: 'noLine' }]), { type: 'noLine' }],
  ['pausing a job in progress', () => run(send(), [dispatched]), { type: 'paused' }],
  ['completing before any page', () => run(send(), [dispatched, dialing]), { type: 'completed' }],
  ['page 0', () => run(send(), [dispatched]), page(0)],
  ['a fractional page', () => run(send(), [dispatched]), page(1.5)],
  ['going back a page', () => run(send(), [dispatched, page(2)]), page(1)],
  ['dialing after pages', () => run(send(), [dispatched, page(1)]), dialing],
  ['restarting a job in progress', () => run(send(), [dispatched]), { type: 'restarted' }],
  [
    'a retry whose reason is not a failure',
    () => run(send(), [dispatched]),
    withReason('retryScheduled', X.fjesTRANSMITTING),
  ],
  ['canceling twice', () => run(send(), [dispatched, cancel]), cancel],
  ['anything after completion', () => run(send(), [dispatched, page(1), { type: 'completed' }]), cancel],
  ['pausing after retries ran out', () => run(send(), [dispatched, exceeded]), { type: 'paused' }],
  ['restarting a canceled job', () => run(send(), [cancel]), { type: 'restarted' }],
  ['dispatching a reception', receive, dispatched],
  ['received with no page', receive, received],
  ['a failed reception marked partial', receive, withReason('failed', X.fjesPARTIALLY_RECEIVED)],
  ['receiving after cancel was asked', () => run(receive(), [cancel]), rxPage(1)],
  ['canceling a routing in progress', () => run(receive(), [rxPage(1), received]), cancel],
  ['restarting a routing job', () => run(receive(), [rxPage(1), received, exceeded]), { type: 'restarted' }],
  ['anything after a failed reception', () => run(receive(), [{ type: 'failed', reason: 1 }]), cancel],
];

describe('transitionJob refusals', () => {
  for (const [name, from, event] of REFUSED) {
    it(`refuses ${name}`, () => {
      const before = Object.freeze(from());
      const next = transitionJob(before, event);
      assert.equal(next.ok, false);
      assert.match(next.ok ? '' : next.error, new RegExp(`^cannot apply ${event.type} to a fjt`));
    });
  }
});

const O = { VIEW: 1, PAUSE: 2, RESUME: 4, RESTART: 8, DELETE: 16, INFO: 0x60 };

describe('availableOperations', () => {
  const cases: readonly (readonly [number, number, number])[] = [
    [T.fjtSEND, S.fjsPENDING, O.VIEW | O.PAUSE | O.DELETE | O.INFO],
    [T.fjtSEND, S.fjsPENDING | S.fjsPAUSED, O.VIEW | O.RESUME | O.DELETE | O.INFO],
    [T.fjtSEND, S.fjsPENDING | S.fjsNOLINE, O.VIEW | O.PAUSE | O.DELETE | O.INFO],
    [T.fjtSEND, S.fjsINPROGRESS, O.VIEW | O.DELETE | O.INFO],
    [T.fjtSEND, S.fjsCANCELING, O.VIEW | O.INFO],
    [T.fjtSEND, S.fjsRETRYING, O.VIEW | O.PAUSE | O.DELETE | O.INFO],
    [T.fjtSEND, S.fjsRETRYING | S.fjsPAUSED, O.VIEW | O.RESUME | O.DELETE | O.INFO],
    [T.fjtSEND, S.fjsRETRIES_EXCEEDED, O.VIEW | O.RESTART | O.DELETE | O.INFO],
    [T.fjtSEND, S.fjsCOMPLETED, O.VIEW | O.INFO],
    [T.fjtSEND, S.fjsCANCELED, O.VIEW | O.INFO],
    [T.fjtRECEIVE, S.fjsINPROGRESS, O.DELETE],
    [T.fjtRECEIVE, S.fjsCANCELING, 0],
    [T.fjtRECEIVE, S.fjsFAILED, 0],
    [T.fjtRECEIVE, S.fjsCANCELED, 0],
    [T.fjtROUTING, S.fjsROUTING, 0],
    [T.fjtROUTING, S.fjsRETRYING, O.VIEW | O.DELETE],
    [T.fjtROUTING, S.fjsRETRIES_EXCEEDED, O.VIEW | O.DELETE],
    [T.fjtROUTING, S.fjsCOMPLETED, O.VIEW],
  ];
  for (const [jobType, status, mask] of cases) {
    it(`is ${mask} for job type ${jobType} in status ${status}`, () => {
      assert.equal(availableOperations(status, jobType as 0 | 1 | 2), mask);
    });
  }
});

/** A finite alphabet that reaches every state of the machine when applied breadth first. */
function alphabet(state: JobState): JobEvent[] {
  const reasons = [X.fjesNONE, X.fjesBUSY] as const;
  return [
    ...['noLine', 'dispatched', 'dialing', 'completed', 'paused', 'resumed', 'restarted', 'cancelRequested'].map(
      (type) => ({ type }) as JobEvent,
    ),
    ...['canceled', 'routed'].map((type) => ({ type }) as JobEvent),
    { type: 'transmitting', page: state.currentPage + 1 },
    { type: 'receiving', page: state.currentPage + 1 },
    { type: 'received', partial: false },
    { type: 'received', partial: true },
    ...reasons.flatMap((reason) => ['retryScheduled', 'retriesExceeded', 'failed'].map((type) => ({ type, reason }))),
  ] as JobEvent[];
}

/** Every state reachable from the two initial states, with pages and retries bounded to keep the set finite. */
function reachableStates(): JobState[] {
  const seen = new Map<string, JobState>();
  const queue = [send(), receive()];
  while (queue.length > 0) {
    const state = queue.shift() as JobState;
    const key = JSON.stringify(state);
    if (seen.has(key) || state.currentPage > 2 || state.retries > 2) continue;
    seen.set(key, state);
    for (const event of alphabet(state)) {
      const next = transitionJob(state, event);
      if (next.ok) queue.push(next.state);
    }
  }
  return [...seen.values()];
}

describe('the machine as a whole', () => {
  const states = reachableStates();
  const OPERATION_EVENTS: readonly (readonly [number, JobEvent])[] = [
    [O.PAUSE, { type: 'paused' }],
    [O.RESUME, { type: 'resumed' }],
    [O.RESTART, { type: 'restarted' }],
    [O.DELETE, cancel],
  ];

  it(`reaches only defined states (${states.length} explored)`, () => {
    assert.ok(states.length > 30);
    for (const state of states) assert.deepEqual(jobStateProblems(state), [], JSON.stringify(state));
  });

  it('offers an operation exactly when the matching event is accepted', () => {
    for (const state of states) {
      const mask = availableOperations(state.status, state.jobType);
      for (const [bit, event] of OPERATION_EVENTS) {
        assert.equal((mask & bit) !== 0, transitionJob(state, event).ok, `${event.type} in ${JSON.stringify(state)}`);
      }
    }
  });

  it('can bring every non-final state to a final one', () => {
    const finalKeys = new Set(states.filter((s) => isFinal(s.status)).map((s) => JSON.stringify(s)));
    const canEnd = new Set(finalKeys);
    for (let changed = true; changed; ) {
      changed = false;
      for (const state of states) {
        const key = JSON.stringify(state);
        if (canEnd.has(key)) continue;
        const nexts = alphabet(state).map((event) => transitionJob(state, event));
        if (nexts.some((next) => next.ok && canEnd.has(JSON.stringify(next.state)))) {
          canEnd.add(key);
          changed = true;
        }
      }
    }
    const stuck = states.filter((state) => !canEnd.has(JSON.stringify(state)));
    assert.deepEqual(stuck, []);
  });

  it('knows its final states', () => {
    assert.deepEqual(
      [S.fjsCOMPLETED, S.fjsFAILED, S.fjsCANCELED, S.fjsRETRIES_EXCEEDED, S.fjsPENDING | S.fjsPAUSED].map(isFinal),
      [true, true, true, true, false],
    );
  });

  it('keeps a job whose retries are spent in its queue, and only that final state', () => {
    assert.deepEqual(
      [S.fjsCOMPLETED, S.fjsFAILED, S.fjsCANCELED, S.fjsRETRIES_EXCEEDED, S.fjsINPROGRESS].map(hasLeftQueue),
      [true, true, true, false, false],
    );
  });
});

const anyEvent: fc.Arbitrary<JobEvent> = fc.oneof(
  fc
    .constantFrom(
      ...(['noLine', 'dispatched', 'dialing', 'completed', 'paused', 'resumed', 'restarted'] as const),
      ...(['cancelRequested', 'canceled', 'routed'] as const),
    )
    .map((type) => ({ type }) as JobEvent),
  fc.record({
    type: fc.constantFrom('transmitting' as const, 'receiving' as const),
    page: fc.integer({ min: -1, max: 6 }),
  }),
  fc.record({ type: fc.constant('received' as const), partial: fc.boolean() }),
  fc.record({
    type: fc.constantFrom('retryScheduled' as const, 'retriesExceeded' as const, 'failed' as const),
    reason: fc.constantFrom(...Object.values(X)),
  }) as fc.Arbitrary<JobEvent>,
);

describe('random event sequences', () => {
  it('keep the machine defined, and final states absorb all but restart and delete', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.array(anyEvent, { maxLength: 40 }), (outbound, events) => {
        let state = outbound ? send() : receive();
        for (const event of events) {
          const next = transitionJob(Object.freeze(state), event);
          if (!next.ok) continue;
          if (isFinal(state.status)) {
            assert.equal(state.status, S.fjsRETRIES_EXCEEDED);
            assert.ok(event.type === 'restarted' || event.type === 'cancelRequested', event.type);
          }
          state = next.state;
          assert.deepEqual(jobStateProblems(state), []);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
