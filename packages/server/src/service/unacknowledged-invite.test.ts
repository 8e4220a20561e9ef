// A faxd SIP line offered an INVITE whose 200 is never ACKed (issue 17, "SIP call hygiene"): at Timer H (64*T1, 32 s)
// the line ends the call and is free again, and the call leaves no incoming job: none in the store, no
// incomingJobAdded, no file under the data directory. An INVITE that is ACKed does get its job, so the test can fail.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { after, describe, it } from 'node:test';
import { FAX_JOB_EXTENDED_STATUS_ENUM, FAX_JOB_STATUS_ENUM } from '@faxd/contract';
import { requestJson, startTestFaxd, type TestFaxd, waitFor } from '../testing/faxd-fixture.js';
import { freeUdpPort } from '../testing/free-udp-port.js';
import { Peer, request, toTagOf } from '../testing/raw-sip-peer.js';
import { openTestStore } from '../testing/test-store.js';

/** Timer H at the default T1 of 500 ms, and time for the call's end to be taken. */
const TIMER_H_MS = 64 * 500;

interface StoredJob {
  readonly id: string;
  readonly direction: string;
  readonly status: number;
  readonly extended_status: number;
}

/** The jobs table as faxd's store holds it, read beside the running faxd through a second connection. */
async function storedJobs(dataDir: string): Promise<StoredJob[]> {
  const db = await openTestStore(dataDir);
  try {
    return await db.selectFrom('jobs').select(['id', 'direction', 'status', 'extended_status']).execute();
  } finally {
    await db.destroy();
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true }).catch(() => []);
  return entries.map(String);
}

describe('an INVITE faxd answers that is never acknowledged', () => {
  let faxd: TestFaxd | undefined;
  const peers: Peer[] = [];
  after(async () => {
    for (const peer of peers) peer.close();
    await faxd?.dispose();
  });

  it('frees the line at Timer H and leaves no job, event or file; an ACKed INVITE then gets its job', async () => {
    const [sipPort, media] = [await freeUdpPort(), await freeUdpPort()];
    faxd = await startTestFaxd({
      lines: [
        {
          id: 1,
          kind: 'sip',
          sip: { listen: `127.0.0.1:${sipPort}`, numbers: ['200'] },
          mediaPorts: `${media}-${media}`,
        },
      ],
    });
    const running = faxd;
    const [attacker, third] = [await Peer.open(), await Peer.open()];
    peers.push(attacker, third);
    const before = { files: await filesUnder(running.dataDir), events: running.events.length };
    const unacked = { number: '200', from: attacker, callId: 'unacked@attacker' } as const;
    attacker.send(request({ ...unacked, method: 'INVITE', branch: 'inv', cseq: 1, media: third.port }), sipPort);
    await waitFor('the 200', () => attacker.starting('SIP/2.0 200')[0]);
    await waitFor('the BYE that ends the unconfirmed dialog', () => attacker.starting('BYE ')[0], TIMER_H_MS + 15_000);

    // The line is free again: a new INVITE is answered (one offered while the first winds down is refused 486).
    const acked = { number: '200', from: attacker } as const;
    let tries = 0;
    const answer = await waitFor('a new INVITE answered 200', async () => {
      const callId = `acked${++tries}@attacker`;
      attacker.send(
        request({ ...acked, callId, method: 'INVITE', branch: `a${tries}`, cseq: 1, media: third.port }),
        sipPort,
      );
      const final = await waitFor('its final answer', () =>
        attacker.received.find((message) => message.includes(`Call-ID: ${callId}`) && /^SIP\/2\.0 [2-6]/.test(message)),
      );
      return final.startsWith('SIP/2.0 200') ? { callId, toTag: toTagOf(final) } : undefined;
    });
    const added = () => running.events.slice(before.events).filter((event) => event.event === 'incomingJobAdded');
    assert.deepEqual(added(), [], 'no incoming job was announced for the unacknowledged INVITE');
    assert.deepEqual(await storedJobs(running.dataDir), [], 'the store holds no job');
    assert.deepEqual(await filesUnder(running.dataDir), before.files, 'no file was written for it');
    assert.deepEqual((await requestJson(running.url, '/v1/inbox')).body, []);

    // The ACK confirms the second call and its fax starts: it has a job, which the caller's BYE ends as aborted.
    const dialog = { ...acked, callId: answer.callId, toTag: answer.toTag } as const;
    attacker.send(request({ ...dialog, method: 'ACK', branch: 'ack', cseq: 1 }), sipPort);
    const jobId = await waitFor('the incoming job', () => {
      const event = added()[0];
      return event && 'jobId' in event ? event.jobId : undefined;
    });
    attacker.send(request({ ...dialog, method: 'BYE', branch: 'bye', cseq: 2 }), sipPort);
    const ended = await waitFor('the job to end', async () =>
      (await storedJobs(running.dataDir)).find(
        (job) => job.id === jobId && job.status === FAX_JOB_STATUS_ENUM.fjsFAILED,
      ),
    );
    assert.equal(ended.direction, 'incoming');
    assert.equal(ended.extended_status, FAX_JOB_EXTENDED_STATUS_ENUM.fjesCALL_ABORTED);
    assert.equal((await storedJobs(running.dataDir)).length, 1);
  });
});
