// The SDK's HTTP transport over global fetch: faxd's REST routes (contract API_PREFIX) with bearer authentication,
// error bodies turned into FaxApiError and network failures into FaxConnectionError.

import { FaxApiError } from '@faxd/contract';

/** The server could not be reached at all (nothing answered, or the connection broke before an answer). */
export class FaxConnectionError extends Error {
  override readonly name = 'FaxConnectionError';
  /** The server URL the SDK was trying. */
  readonly url: string;

  constructor(url: string, reason: string, options?: ErrorOptions) {
    super(`cannot reach the fax server at ${url}: ${reason}`, options);
    this.url = url;
  }
}

/** Plain words for the network error codes a user is likely to meet. */
const NETWORK_ERROR_TEXT: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'connection closed by the server',
};

/** What went wrong under fetch's generic "fetch failed" TypeError. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return NETWORK_ERROR_TEXT[code] ?? code;
  if (cause instanceof Error) return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/** The base URL without trailing slashes, refusing anything but http and https. */
export function normalizeServerUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`not a valid fax server URL: "${url}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TypeError(`the fax server URL must start with http:// or https:// (got "${url}")`);
  }
  return url.replace(/\/+$/, '');
}

/** A path segment made from an id the caller supplies. */
export function segment(value: string | number): string {
  return encodeURIComponent(String(value));
}

/** A successful answer's JSON body; a body that is not JSON means something other than faxd answered. */
function parseJsonBody(response: Response, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const message = `The server answered ${response.status} with a body that is not JSON`;
    throw new FaxApiError('FAX_ERR_BAD_RESPONSE', message, { status: response.status, body: text });
  }
}

async function errorBody(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export class HttpClient {
  readonly baseUrl: string;
  readonly #token: string | undefined;
  readonly #csrfToken: string | undefined;

  constructor(baseUrl: string, token?: string, csrfToken?: string) {
    this.baseUrl = normalizeServerUrl(baseUrl);
    this.#token = token;
    this.#csrfToken = csrfToken;
  }

  async getJson<T>(path: string): Promise<T> {
    const response = await this.request(path, { headers: { accept: 'application/json' } });
    return parseJsonBody(response, await this.#body(() => response.text())) as T;
  }

  async sendJson<T>(method: 'POST' | 'PATCH', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.request(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return parseJsonBody(response, await this.#body(() => response.text())) as T;
  }

  async getBytes(path: string): Promise<Uint8Array> {
    const response = await this.request(path, {});
    return new Uint8Array(await this.#body(() => response.arrayBuffer()));
  }

  /** Reads an answer's body; the connection breaking half-way is a FaxConnectionError like no answer at all. */
  async #body<T>(read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      const reason = `the connection broke while reading the answer (${networkReason(error)})`;
      throw new FaxConnectionError(this.baseUrl, reason, { cause: error });
    }
  }

  /**
   * Sends one request and returns the response when it succeeded. A faxd error answer throws its FaxApiError; no
   * answer at all throws FaxConnectionError. An abort through `init.signal` rejects with the abort reason.
   */
  async request(path: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.#token !== undefined) headers.set('authorization', `Bearer ${this.#token}`);
    // The server asks a session cookie's requests for the token on every change, and reads need none.
    const method = init.method ?? 'GET';
    if (this.#csrfToken !== undefined && method !== 'GET' && method !== 'HEAD') {
      headers.set('x-csrf-token', this.#csrfToken);
    }
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, { ...init, headers });
    } catch (error) {
      if (init.signal?.aborted) throw error;
      throw new FaxConnectionError(this.baseUrl, networkReason(error), { cause: error });
    }
    if (!response.ok) throw FaxApiError.fromResponse(response.status, await errorBody(response));
    return response;
  }
}
