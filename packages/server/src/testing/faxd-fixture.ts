// Test support: a real faxd (service, store and HTTP API) in a fresh temporary data directory, and small helpers to
// watch it — its events in order, a condition polled until it holds.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FaxServerEvent, isFinal } from '@faxd/contract';
import { type BilevelPage, readTiff } from '@faxd/protocol';
import type { Clock } from '../service/clock.js';
import { type RunningFaxd, startFaxd } from '../start-faxd.js';
import { inProcessTestKeys } from './test-store.js';

export interface TestFaxd extends RunningFaxd {
  readonly dataDir: string;
  /** Every event published since start, in order. */
  readonly events: FaxServerEvent[];
  /** Closes the server and deletes its data directory. */
  dispose(): Promise<void>;
}

/**
 * Starts faxd on a free HTTP port with `config` (DESIGN.md §3 keys) over `dataDir`, or a new data directory, on the
 * test store (FAXD_TEST_STORE) unless `config` names one; its queue runs on `options.clock` when given (a
 * ManualClock), else on the computer's clock.
 */
export async function startTestFaxd(
  config: Record<string, unknown> = {},
  dataDir?: string,
  options: { clock?: Clock } = {},
): Promise<TestFaxd> {
  const directory = dataDir ?? (await mkdtemp(join(tmpdir(), 'faxd-test-')));
  const keys = await inProcessTestKeys(directory);
  const running = await startFaxd({ listen: '127.0.0.1:0', dataDir: directory, ...keys, ...config }, options.clock);
  const events: FaxServerEvent[] = [];
  running.service.hub.subscribe(0x3ff, (event) => events.push(event));
  return {
    ...running,
    dataDir: directory,
    events,
    dispose: async () => {
      await running.close();
      if (!dataDir) await rm(directory, { recursive: true, force: true });
    },
  };
}

/** Calls `check` every `everyMs` until it returns a value other than undefined; fails after `limitMs`. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  limitMs = 120_000,
  everyMs = 100,
): Promise<T> {
  const until = Date.now() + limitMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`gave up waiting for ${what} after ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** A response body as tests read it: field by field, each asserted, so it is not typed further. */
// biome-ignore lint/suspicious/noExplicitAny: the assertions check every field a test reads.
export type JsonBody = any;

/** JSON from `url` + `path` with `init`; returns the status and the parsed body. */
export async function requestJson(
  base: string,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: JsonBody }> {
  const response = await fetch(`${base}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** Submits `text` as a one-document fax to `to`; returns the job id. */
export async function submitText(base: string, text: string, to = '1'): Promise<string> {
  const body = { to, documents: [{ name: 'note.txt', contentBase64: Buffer.from(text).toString('base64') }] };
  const { status, body: job } = await requestJson(base, '/v1/jobs', { method: 'POST', body });
  if (status !== 201) throw new Error(`submission refused: ${JSON.stringify(job)}`);
  return job.jobId;
}

/** Job `jobId` as `base` answers it once it has reached a final state; fails after `limitMs`. */
export async function finalJob(base: string, jobId: string, limitMs = 120_000): Promise<JsonBody> {
  return waitFor(
    `job ${jobId} to end`,
    async () => {
      const job = (await requestJson(base, `/v1/jobs/${jobId}`)).body;
      return isFinal(job.status) ? job : undefined;
    },
    limitMs,
  );
}

/** The first fax in the inbox once there is one, with the pages of its stored TIFF as the API serves it. */
export async function firstInboxFax(base: string): Promise<{ message: JsonBody; pages: BilevelPage[] }> {
  const [message] = await waitFor('a fax in the inbox', async () => {
    const inbox = (await requestJson(base, '/v1/inbox')).body as JsonBody[];
    return inbox.length > 0 ? inbox : undefined;
  });
  const tiff = await (await fetch(`${base}/v1/inbox/${message.id}/document.tif`)).arrayBuffer();
  return { message, pages: readTiff(new Uint8Array(tiff)).map(({ page }) => page) };
}
