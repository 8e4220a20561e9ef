// The JSON API as a fuzz target: each input is one HTTP request (`METHOD PATH`, a line feed, the body) sent over a
// real socket to a faxd running in the fuzzing thread on a manual clock (so a submission that gets through is queued,
// never dialled). Any 5xx, a 4xx without a FAX_ERR_* code, a stack trace in a body, or a dropped connection is a crash.
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestFaxd, submitText } from '../testing/faxd-fixture.js';
import { answerProblem, type HttpInput, send, submissionBody } from '../testing/hostile-http.js';
import { ManualClock } from '../testing/manual-clock.js';
import type { FuzzHarness, FuzzTarget } from './fuzz-targets.js';

const METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'HEAD', 'OPTIONS'];
/** Placeholders the seeds carry where a real job id goes; replaced at send time by a job that exists. */
const JOB_ID = '{jobId}';

/** What a fuzzed request got that it must never get. */
export class HttpFinding extends Error {
  override readonly name = 'HttpFinding';
}

/** Bytes outside visible ASCII in a path, percent-encoded: Node refuses to send them raw, as a client library would. */
function pathText(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += byte > 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `%${byte.toString(16)}`;
  return text.startsWith('/') ? text : `/${text}`;
}

/** Reads an input as a request: an unknown method becomes one of the real ones, chosen by its bytes. */
export function requestOf(input: Uint8Array, jobId: string): HttpInput {
  let newline = input.indexOf(0x0a);
  if (newline < 0) newline = input.length;
  const line = new TextDecoder('latin1').decode(input.subarray(0, newline));
  const space = line.indexOf(' ');
  const word = space < 0 ? line : line.slice(0, space);
  const method = METHODS.includes(word) ? word : METHODS[[...word].reduce((sum, c) => sum + c.charCodeAt(0), 0) % 7];
  const rawPath = new TextEncoder().encode(space < 0 ? '/' : line.slice(space + 1).replaceAll(JOB_ID, jobId));
  return { method, path: pathText(rawPath), body: input.subarray(newline + 1) };
}

const text = (s: string) => new TextEncoder().encode(s);

/** One request per operation of the OpenAPI document, with a job id that exists and a valid body where one is taken. */
export function seedRequests(paths: Record<string, Record<string, unknown>>): Uint8Array[] {
  const bodies: Record<string, string> = {
    'POST /v1/jobs': submissionBody(),
    'PATCH /v1/queue': '{"outgoingQueuePaused":false,"outgoingQueueBlocked":false}',
  };
  const seeds: Uint8Array[] = [];
  for (const [template, operations] of Object.entries(paths)) {
    for (const method of Object.keys(operations)) {
      const route = `${method.toUpperCase()} ${template}`;
      const path = template
        .replace(/\{(jobId|id)\}/g, JOB_ID)
        .replace('{operation}', 'pause')
        .replace('{page}', '1')
        .replace('{deviceId}', '1');
      seeds.push(text(`${method.toUpperCase()} ${path}\n${bodies[route] ?? ''}`));
    }
  }
  seeds.push(text('GET /v1/jobs?direction=out&all=true\n'), text('GET /v1/events?mask=1023\n'));
  return seeds;
}

async function httpHarness(): Promise<FuzzHarness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'faxd-fuzz-'));
  const faxd = await startTestFaxd({}, dataDir, { clock: new ManualClock() });
  const jobId = await submitText(faxd.url, 'a job for the fuzzed requests to name');
  const document = (await (await fetch(`${faxd.url}/openapi.json`)).json()) as { paths: Record<string, never> };
  const base = new URL(faxd.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  return {
    seeds: seedRequests(document.paths),
    async run(input) {
      const request = requestOf(input, jobId);
      const answer = await send(base, agent, request).catch((error: Error & { code?: string }) => {
        throw new HttpFinding(`the request failed: ${error.code ?? error.message}`);
      });
      const problem = answerProblem(answer, request.method);
      if (problem) throw new HttpFinding(problem);
    },
    async close() {
      agent.destroy();
      await faxd.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export const httpFuzzTarget: FuzzTarget = {
  name: 'http',
  what: 'JSON API over HTTP against faxd (5xx, 4xx without FAX_ERR_*, stack traces, dropped connections)',
  maxBytes: 65_536,
  dictionary: ['"', '{', '}', '[', ']', ',', ':', 'null', 'true', '-1e999', '\\u0000', '/..', '%2e%2e%2f', '?all='],
  start: httpHarness,
  expected: () => false,
};
