// Test support: one HTTPS request on a connection of its own, answered with the certificate the server presented.

import { type RequestOptions as HttpsRequestOptions, request as http1Request } from 'node:https';
import type { ConnectionOptions, TLSSocket } from 'node:tls';

export interface HttpsAnswer {
  readonly status: number;
  readonly body: string;
  /** The certificate the server presented, and the protocol ALPN settled on. */
  readonly fingerprint: string;
  readonly protocol: string | boolean;
}

/** One HTTP/1.1 request on a new connection (no agent, so each sees the certificate served at that moment). */
export function httpsRequest(
  url: string,
  path: string,
  options: HttpsRequestOptions & ConnectionOptions & { body?: string } = {},
): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const request = http1Request(
      new URL(path, url),
      { agent: false, ALPNProtocols: ['http/1.1'], ...options },
      (response) => {
        const socket = response.socket as TLSSocket;
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => {
          body += chunk;
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body,
            fingerprint: socket.getPeerCertificate().fingerprint256,
            protocol: socket.alpnProtocol ?? false,
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

const THREE_PAGES = ['First page.', 'Second page.', 'Third page.']
  .map((line) => `${line}\n${'Some text.\n'.repeat(30)}`)
  .join('\f');

/** Submits a three-page text fax to `to` over HTTPS trusting `ca`; its job id. */
export async function submitThreePages(url: string, ca: Buffer, to: string): Promise<string> {
  const submitted = await httpsRequest(url, '/v1/jobs', {
    ca,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      to,
      documents: [{ name: 'three.txt', contentBase64: Buffer.from(THREE_PAGES).toString('base64') }],
    }),
  });
  if (submitted.status !== 201) throw new Error(`the submission was refused: ${submitted.status} ${submitted.body}`);
  return (JSON.parse(submitted.body) as { jobId: string }).jobId;
}
