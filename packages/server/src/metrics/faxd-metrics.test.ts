// GET /metrics against a real faxd (issue 16 item 4): faxes sent over a sandbox pair by the T.30 engine (on a virtual
// clock, so they cost no line time) and one job that fails, then the exposition read by a strict parser of the text
// format, its counters equal to the jobs, pages, calls and webhook and mail tries that ran, and the queue's depth and
// age while it held them; and, over real-time T.38 lines through a lossy relay, the UDPTL losses redundancy repaired.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FAX_JOB_EXTENDED_STATUS_ENUM, FAX_JOB_STATUS_ENUM, isFinal, nameOf } from '@faxd/contract';
import { requestJson, startTestFaxd, submitText, type TestFaxd, waitFor } from '../testing/faxd-fixture.js';
import { freeUdpPort } from '../testing/free-udp-port.js';
import { startLossyUdpRelay } from '../testing/lossy-udp-relay.js';
import { ManualClock } from '../testing/manual-clock.js';
import { ExpositionError, type MetricFamily, parseExposition, sampleValue, sumOf } from '../testing/prometheus-text.js';
import { type SmtpSink, startSmtpSink } from '../testing/smtp-sink.js';

const DAY_MS = 86_400_000;
/** Two faxes of two pages and one of one, then a job past its age limit. */
const FAXES = ['Metrics one.\n\fPage two.\n', 'Metrics two.\n\fPage two.\n', 'Metrics three.\n'];
const PAGES = 5;

/** A webhook receiver that answers 500 to the first delivery and 204 to the rest. */
async function startHook() {
  let count = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(count++ === 0 ? 500 : 204).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/fax`,
    received: () => count,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function scrape(faxd: TestFaxd): Promise<Map<string, MetricFamily>> {
  const response = await fetch(`${faxd.url}/metrics`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return parseExposition(await response.text());
}

describe('GET /metrics', () => {
  let faxd: TestFaxd;
  let hook: Awaited<ReturnType<typeof startHook>>;
  let sink: SmtpSink;
  let mailDirectory: string;
  const clock = new ManualClock();
  const api = (path: string, init?: Parameters<typeof requestJson>[2]) => requestJson(faxd.url, path, init);

  before(async () => {
    hook = await startHook();
    mailDirectory = await mkdtemp(join(tmpdir(), 'faxd-metrics-mail-'));
    sink = await startSmtpSink(mailDirectory);
    faxd = await startTestFaxd(
      {
        smtp: { host: '127.0.0.1', port: sink.port, from: 'faxd@fax.example' },
        outboundQueue: { ageLimitDays: 1, retries: 0 },
        lines: [
          { id: 1, name: 'Out', kind: 'sandbox', peer: 2, tsid: '+1 555 0101', csid: '+1 555 0101', receive: false },
          {
            id: 2,
            name: 'In',
            kind: 'sandbox',
            peer: 1,
            tsid: '+1 555 0102',
            csid: '+1 555 0102',
            send: false,
            routing: { webhook: { url: hook.url, secret: 'metrics' }, email: { to: ['office@example.com'] } },
          },
        ],
      },
      undefined,
      { clock },
    );
  });
  after(async () => {
    await faxd?.dispose();
    await hook?.close();
    await sink?.stop();
    await rm(mailDirectory, { recursive: true, force: true });
  });

  it('counts the jobs, pages, calls and webhook tries that ran, and shows the queue while it waits', async () => {
    await api('/v1/queue', { method: 'PATCH', body: { outgoingQueuePaused: true } });
    const expired = await submitText(faxd.url, 'Too late.\n', '2');
    clock.advance(DAY_MS + 1000);
    const sent: string[] = [];
    for (const text of FAXES) sent.push(await submitText(faxd.url, text, '2'));
    // The queue ends the expired job even while paused; the others wait a minute.
    await faxd.service.queueSettled();
    clock.advance(60_000);

    const waiting = await scrape(faxd);
    assert.equal(sampleValue(waiting, 'faxd_queue_depth'), FAXES.length);
    assert.equal(sampleValue(waiting, 'faxd_queue_oldest_age_seconds'), 60);
    assert.equal(sampleValue(waiting, 'faxd_jobs', { direction: 'outgoing', status: 'fjsPENDING' }), FAXES.length);
    assert.equal(sampleValue(waiting, 'faxd_jobs', { direction: 'outgoing', status: 'fjsRETRIES_EXCEEDED' }), 1);
    assert.equal(sumOf(waiting, 'faxd_jobs_ended_total'), 1);
    assert.equal(sampleValue(waiting, 'faxd_line_busy', { line: '1' }), 0);

    await api('/v1/queue', { method: 'PATCH', body: { outgoingQueuePaused: false } });
    const ends = await waitFor('every job to end', async () => {
      const jobs = await Promise.all([expired, ...sent].map(async (id) => (await api(`/v1/jobs/${id}`)).body));
      return jobs.every((job) => isFinal(job.status)) ? jobs : undefined;
    });
    const [failed, ...delivered] = ends;
    assert.equal(failed.status, FAX_JOB_STATUS_ENUM.fjsRETRIES_EXCEEDED);
    for (const job of delivered) assert.equal(job.status, FAX_JOB_STATUS_ENUM.fjsCOMPLETED);
    const inbox = await waitFor('the faxes in the inbox', async () => {
      const messages = (await api('/v1/inbox')).body as { pages: number }[];
      return messages.length === FAXES.length ? messages : undefined;
    });
    assert.equal(
      inbox.reduce((sum, message) => sum + message.pages, 0),
      PAGES,
    );
    // Each fax's webhook, the first one twice (500, then 204 after its back-off).
    await waitFor('the webhooks', () => (hook.received() === FAXES.length + 1 ? true : undefined));
    await waitFor('the mails', async () => ((await sink.mails()).length === FAXES.length ? true : undefined));
    await waitFor('the last tries recorded', async () => {
      const metrics = await scrape(faxd);
      const webhooks = sumOf(metrics, 'faxd_webhook_deliveries_total');
      return webhooks === FAXES.length + 1 && sumOf(metrics, 'faxd_mail_deliveries_total') === FAXES.length
        ? true
        : undefined;
    });

    const done = await scrape(faxd);
    const ended = (direction: string, job: { status: number; extendedStatusCode: number }) =>
      sampleValue(done, 'faxd_jobs_ended_total', {
        direction,
        status: nameOf(FAX_JOB_STATUS_ENUM, job.status) ?? '',
        extended_status: nameOf(FAX_JOB_EXTENDED_STATUS_ENUM, job.extendedStatusCode) ?? '',
      });
    assert.equal(ended('outgoing', delivered[0]), FAXES.length);
    assert.equal(ended('outgoing', failed), 1);
    assert.equal(sumOf(done, 'faxd_jobs_ended_total', { direction: 'outgoing' }), FAXES.length + 1);
    assert.equal(sumOf(done, 'faxd_jobs_ended_total', { direction: 'incoming', status: 'fjsCOMPLETED' }), FAXES.length);
    assert.equal(sumOf(done, 'faxd_jobs_ended_total', { direction: 'incoming' }), FAXES.length);
    assert.equal(sampleValue(done, 'faxd_pages_total', { direction: 'outgoing' }), PAGES);
    assert.equal(sampleValue(done, 'faxd_pages_total', { direction: 'incoming' }), PAGES);
    // One call on each line per fax; the job that failed never reached a line.
    for (const direction of ['outgoing', 'incoming']) {
      assert.equal(sampleValue(done, 'faxd_call_duration_seconds_count', { direction }), FAXES.length);
      // Calls are timed in real time, whatever the queue's clock: the lines were busy for as long as they lasted.
      assert.ok(sampleValue(done, 'faxd_call_duration_seconds_sum', { direction }) > 0);
    }
    const busy = (line: string) => sampleValue(done, 'faxd_line_busy_seconds_total', { line });
    assert.ok(busy('1') > 0 && busy('2') > 0, `busy seconds: ${busy('1')}, ${busy('2')}`);
    assert.ok(
      Math.abs(busy('1') - sampleValue(done, 'faxd_call_duration_seconds_sum', { direction: 'outgoing' })) < 1e-6,
      "line 1's busy time is its calls' time",
    );
    assert.equal(sampleValue(done, 'faxd_line_busy', { line: '1' }), 0);
    assert.equal(sampleValue(done, 'faxd_line_busy', { line: '2' }), 0);
    assert.equal(sampleValue(done, 'faxd_queue_depth'), 0);
    assert.equal(sampleValue(done, 'faxd_queue_oldest_age_seconds'), 0);
    // The failed job stays queued in fjsRETRIES_EXCEEDED (restartable) until a user restarts or deletes it.
    assert.equal(sampleValue(done, 'faxd_jobs', { direction: 'outgoing', status: 'fjsRETRIES_EXCEEDED' }), 1);
    assert.equal(sumOf(done, 'faxd_jobs'), 1);
    assert.equal(sampleValue(done, 'faxd_webhook_deliveries_total', { outcome: 'retry' }), 1);
    assert.equal(sampleValue(done, 'faxd_webhook_deliveries_total', { outcome: 'delivered' }), FAXES.length);
    assert.equal(sampleValue(done, 'faxd_mail_deliveries_total', { outcome: 'delivered' }), FAXES.length);
    // The sandbox pair's T.38 link loses nothing.
    assert.equal(sumOf(done, 'faxd_t38_udptl_lost_total'), 0);
    const openapi = (await api('/openapi.json')).body;
    assert.ok(openapi.paths['/metrics']?.get, 'the OpenAPI document lists GET /metrics');
    // prom-client's process metrics, event-loop lag among them.
    assert.ok(done.get('faxd_nodejs_eventloop_lag_seconds')?.type === 'gauge');
  });
});

describe('T.38 loss in /metrics', () => {
  it('counts the IFPs UDPTL redundancy recovered on a lossy link, within what the link dropped', async () => {
    const ports = { one: await freeUdpPort(), two: await freeUdpPort(), relay: await freeUdpPort() };
    const relay = await startLossyUdpRelay({
      port: ports.relay,
      ends: [ports.one, ports.two],
      lossPercent: [5, 5],
      seed: 16,
    });
    const peer = `127.0.0.1:${ports.relay}`;
    const line = { kind: 't38', tsid: '+1 555 0161', csid: '+1 555 0161', peer };
    const faxd = await startTestFaxd({
      lines: [
        { ...line, id: 1, name: 'Out', bind: `127.0.0.1:${ports.one}`, receive: false },
        { ...line, id: 2, name: 'In', bind: `127.0.0.1:${ports.two}`, send: false },
      ],
    });
    try {
      const jobId = await submitText(faxd.url, 'Lossy one.\n\fLossy two.\n', '2');
      const job = await waitFor('the job to end', async () => {
        const current = (await requestJson(faxd.url, `/v1/jobs/${jobId}`)).body;
        return isFinal(current.status) ? current : undefined;
      });
      assert.equal(job.status, FAX_JOB_STATUS_ENUM.fjsCOMPLETED);
      await waitFor('the reception to end', async () => {
        const inbox = (await requestJson(faxd.url, '/v1/inbox')).body as unknown[];
        return inbox.length === 1 ? true : undefined;
      });
      const metrics = await scrape(faxd);
      // Line 1 receives what goes to ends[0], line 2 what goes to ends[1].
      for (const [index, id] of [
        [0, '1'],
        [1, '2'],
      ] as const) {
        const recovered = sampleValue(metrics, 'faxd_t38_udptl_recovered_total', { line: id });
        const lost = sampleValue(metrics, 'faxd_t38_udptl_lost_total', { line: id });
        assert.ok(recovered + lost <= relay.dropped[index], `line ${id}: ${recovered} + ${lost} within the drops`);
      }
      assert.ok(relay.dropped[1] > 0, 'the link dropped datagrams toward the receiver');
      assert.ok(sampleValue(metrics, 'faxd_t38_udptl_recovered_total', { line: '2' }) > 0, 'redundancy repaired some');
    } finally {
      await faxd.dispose();
      await relay.close();
    }
  });
});

describe('the exposition reader', () => {
  const good = '# HELP a_total A.\n# TYPE a_total counter\na_total{x="1",y="q\\"\\n"} 3\n';

  it('reads names, labels with escapes and values', () => {
    const families = parseExposition(good);
    assert.deepEqual(families.get('a_total')?.samples, [{ name: 'a_total', labels: { x: '1', y: 'q"\n' }, value: 3 }]);
    const specials = parseExposition('# TYPE g gauge\ng{v="a"} Nan\ng{v="b"} +Inf\ng{v="c"} -inf\ng{v="d"} 1.5e-3\n');
    assert.deepEqual(
      specials.get('g')?.samples.map((s) => s.value),
      [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.0015],
    );
  });

  it('refuses what breaks the format', () => {
    const broken = [
      good.slice(0, -1),
      good.replace('a_total{', 'b_total{'),
      good.replace('} 3', '} three'),
      good.replace('} 3', '} Nana'),
      good.replace('x="1"', 'x=1'),
      good.replace('x="1"', 'x="1'),
      good.replace('counter', 'tally'),
      good.replace('y="q', 'y="\\t'),
      '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_count 1\nh_sum 0\n',
      '# TYPE h histogram\nh_bucket{le="1"} 1\nh_count 1\nh_sum 0\n',
    ];
    for (const text of broken) assert.throws(() => parseExposition(text), ExpositionError, text);
  });
});
