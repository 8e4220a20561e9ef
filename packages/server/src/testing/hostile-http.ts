// Test support: HTTP requests of exact bytes sent to faxd (any method, path and body, as a hostile client would
// send them), and the rule every answer to one keeps: never a 5xx, never a stack trace, a 4xx always a FAX_ERR_* body.
import { type Agent, request } from 'node:http';

export interface HttpAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** Lines of a JavaScript stack trace, or Node's internal paths: what no answer may show. */
const STACK_TRACE = /\n\s+at \S|node:internal|\.[cm]?js:\d+:\d+/;

/**
 * Why `answer` is wrong for a request faxd should refuse or serve, or undefined when it is fine; an answer to HEAD has
 * no body to check. The reason names the error code the body gave, so findings group by cause rather than by URL.
 */
export function answerProblem(answer: HttpAnswer, method = 'GET'): string | undefined {
  const code = /"code":"([A-Za-z_]+)"/.exec(answer.body)?.[1] ?? 'no code';
  if (answer.status >= 500) return `HTTP ${answer.status} (${code})`;
  if (STACK_TRACE.test(answer.body)) return `a stack trace in an HTTP ${answer.status} body (${code})`;
  if (method === 'HEAD') return undefined;
  if (answer.status >= 400 && !/^\{"error":\{"code":"FAX_ERR_[A-Z_]+"/.test(answer.body)) {
    return `HTTP ${answer.status} without a FAX_ERR_* body (${code})`;
  }
  return undefined;
}

export interface HttpInput {
  readonly method: string;
  readonly path: string;
  readonly body: Uint8Array;
}

/** Sends one request and reads the answer; an event stream is cut once its headers are in. */
export function send(base: URL, agent: Agent, input: HttpInput, headers: Record<string, string> = {}) {
  return new Promise<HttpAnswer>((resolve, reject) => {
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        method: input.method,
        path: input.path,
        agent,
        headers: {
          ...(input.body.length > 0 && { 'content-type': 'application/json' }),
          'content-length': String(input.body.length),
          ...headers,
        },
      },
      (response) => {
        const contentType = String(response.headers['content-type'] ?? '');
        if (contentType.startsWith('text/event-stream')) {
          response.destroy();
          resolve({ status: response.statusCode ?? 0, contentType, body: '' });
          return;
        }
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, contentType, body: Buffer.concat(chunks).toString('latin1') }),
        );
        response.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(input.body);
  });
}

/** A valid submission of a short text, the body most of the seeds mutate. */
export function submissionBody(): string {
  const content = Buffer.from('Fuzz\n').toString('base64');
  return JSON.stringify({
    to: '5550100',
    recipientName: 'R',
    priority: 'high',
    documents: [{ name: 'a.txt', contentBase64: content }],
  });
}
