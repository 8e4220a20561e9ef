// A port's live state as its calls change it: the far station's identity and the page in progress go into the
// port's FaxStatus through PortRuntime, events of a call that has left the port change nothing, and the device status
// events follow the port's job.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FaxServerEvent } from '@faxd/contract';
import { parseFaxdConfig } from '../config/faxd-config.js';
import type { FaxLine } from '../lines/fax-line.js';
import type { PortJob } from './port-activity.js';
import { PortRuntime } from './port-runtime.js';

/** A line that is never busy and is never asked to call (PortRuntime only reads `busy`). */
const idleLine: FaxLine = {
  busy: false,
  incomingCallHandler: () => undefined,
  placeCall: () => {
    throw new Error('not called');
  },
  close: async () => {},
};

function portJob(jobId: string, direction: PortJob['direction']): PortJob {
  return {
    direction,
    jobId,
    startMs: 0,
    address: direction === 'sending' ? '555' : '',
    callerId: '',
    csid: direction === 'receiving' ? 'OURS' : '',
    tsid: direction === 'sending' ? 'OURS' : '',
    currentPage: 0,
    documentName: '',
    documentSize: 0,
    pageCount: 3,
    recipientName: '',
    routingString: '',
    senderName: '',
    submittedTime: '',
  };
}

function newPort() {
  const [config] = parseFaxdConfig({
    lines: [
      { id: 1, kind: 'loopback' },
      { id: 2, kind: 'loopback' },
    ],
  }).lines;
  const events: FaxServerEvent[] = [];
  if (!config) throw new Error('no line in the configuration');
  return { port: new PortRuntime(config, idleLine, (event) => events.push(event)), events };
}

describe('PortRuntime', () => {
  it("records the far station's CSI and the page being sent, for its own job only", () => {
    const { port, events } = newPort();
    port.begin(portJob('a', 'sending'), 'Dialing');
    assert.equal(port.free, false);
    assert.equal(port.direction, 'sending');
    port.remoteIdentified('a', 'FAR END');
    port.pageStarted('a', 2);
    port.remoteIdentified('stale', 'SOMEONE ELSE');
    port.pageStarted('stale', 9);
    const status = port.status(5000);
    assert.equal(status.csid, 'FAR END');
    assert.equal(status.tsid, 'OURS');
    assert.equal(status.currentPage, 2);
    assert.equal(status.description, 'Sending');
    assert.equal(status.elapsedTime, 5);

    port.end('stale');
    assert.equal(port.direction, 'sending', 'another job ending leaves this one');
    port.end('a');
    assert.equal(port.free, true);
    assert.equal(port.status(5000).description, 'Available');
    assert.deepEqual(
      events.map((e) => e.event === 'deviceStatusChange' && [e.sending, e.receiving]),
      [
        [true, false],
        [false, false],
      ],
    );
  });

  it("records the far station's TSI and the page being received", () => {
    const { port } = newPort();
    port.begin(portJob('b', 'receiving'), 'Answered');
    port.remoteIdentified('b', 'CALLER');
    port.pageStarted('b', 1);
    const status = port.status(0);
    assert.equal(status.tsid, 'CALLER');
    assert.equal(status.csid, 'OURS');
    assert.equal(status.description, 'Receiving');
    assert.equal(port.direction, 'receiving');
  });

  it('shows a completing call as Completed, and an aborted one as Aborting until it leaves the port', () => {
    const { port } = newPort();
    port.begin(portJob('c', 'sending'), 'Dialing');
    port.pageStarted('c', 1);
    port.ending('c', 'Completed');
    assert.equal(port.status(0).description, 'Completed');
    port.end('c');

    port.begin(portJob('d', 'receiving'), 'Answered');
    port.pageStarted('d', 1);
    port.ending('stale', 'Aborting');
    assert.equal(port.status(0).description, 'Receiving', "another job's cancel changes nothing");
    port.ending('d', 'Aborting');
    port.pageStarted('d', 2);
    port.ending('d', 'Completed');
    assert.equal(port.status(0).description, 'Aborting', 'neither a page nor the end undoes the cancel');
    port.end('d');
    assert.equal(port.status(0).description, 'Available');
  });
});
