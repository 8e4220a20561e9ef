import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  FAX_ERROR_CODES,
  FAX_ERRORS,
  FaxApiError,
  type FaxErrorBody,
  faxErrorMessage,
  httpStatusOf,
  isFaxErrorCode,
} from './errors.js';

describe('the FAX_ERR_* catalog', () => {
  it('has unique codes in the FAX_ERR_ form, each with a client or server error status', () => {
    assert.equal(new Set(FAX_ERROR_CODES).size, FAX_ERROR_CODES.length);
    for (const code of FAX_ERROR_CODES) {
      assert.match(code, /^FAX_ERR_[A-Z]+(_[A-Z]+)*$/);
      const { status, message } = FAX_ERRORS[code];
      assert.ok(Number.isInteger(status) && status >= 400 && status <= 599, code);
      assert.ok(message.length > 10 && !message.endsWith('.'), code);
    }
  });

  it('has a distinct message for every code', () => {
    const messages = FAX_ERROR_CODES.map((code) => FAX_ERRORS[code].message);
    assert.equal(new Set(messages).size, messages.length);
  });

  it('answers the service cases with the agreed statuses', () => {
    const agreed = {
      FAX_ERR_BAD_REQUEST: 400,
      FAX_ERR_UNAUTHORIZED: 401,
      FAX_ERR_ACCESS_DENIED: 403,
      FAX_ERR_PORT_NOT_FOUND: 404,
      FAX_ERR_JOB_NOT_FOUND: 404,
      FAX_ERR_OPERATION_NOT_ALLOWED: 409,
      FAX_ERR_DOCUMENT_UNREADABLE: 422,
      FAX_ERR_BAD_NUMBER: 422,
      FAX_ERR_REQUEST_TOO_LARGE: 413,
      FAX_ERR_RATE_LIMITED: 429,
      FAX_ERR_INTERNAL: 500,
      FAX_ERR_QUEUE_BLOCKED: 503,
    } as const;
    for (const [code, status] of Object.entries(agreed))
      assert.equal(httpStatusOf(code as keyof typeof agreed), status);
  });
});

describe('faxErrorMessage', () => {
  it('fills in every parameter', () => {
    const message = faxErrorMessage('FAX_ERR_OPERATION_NOT_ALLOWED', {
      operation: 'pause',
      jobId: 'j-9',
      reason: 'it has completed',
    });
    assert.equal(message, 'Cannot pause job j-9: it has completed');
    assert.equal(faxErrorMessage('FAX_ERR_PORT_NOT_FOUND', { deviceId: 7 }), 'No port with device id 7');
  });

  it('throws when a parameter is missing', () => {
    assert.throws(
      () => faxErrorMessage('FAX_ERR_JOB_NOT_FOUND', {} as { jobId: string }),
      /FAX_ERR_JOB_NOT_FOUND needs the parameter jobId/,
    );
  });
});

describe('FaxApiError', () => {
  it('carries code, status, message and details', () => {
    const error = FaxApiError.of('FAX_ERR_BAD_NUMBER', { number: '12ab' }, { field: 'to' });
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'FaxApiError');
    assert.equal(error.code, 'FAX_ERR_BAD_NUMBER');
    assert.equal(error.status, 422);
    assert.equal(error.message, 'Not a fax number that can be dialed: 12ab');
    assert.deepEqual(error.details, { field: 'to' });
  });

  it('turns into a body and back', () => {
    const error = FaxApiError.of('FAX_ERR_JOB_NOT_FOUND', { jobId: 'j-3' });
    const body: FaxErrorBody = JSON.parse(JSON.stringify(error.toBody()));
    assert.deepEqual(body, { error: { code: 'FAX_ERR_JOB_NOT_FOUND', message: 'No job with id j-3' } });
    const again = FaxApiError.fromResponse(404, body);
    assert.deepEqual(
      [again.code, again.status, again.message, again.details],
      [error.code, 404, error.message, undefined],
    );
    const detailed = FaxApiError.fromResponse(
      400,
      FaxApiError.of('FAX_ERR_BAD_REQUEST', { reason: 'x' }, { a: 1 }).toBody(),
    );
    assert.deepEqual(detailed.details, { a: 1 });
  });

  it('reports a body that is not a faxd error as FAX_ERR_BAD_RESPONSE', () => {
    for (const body of ['<html>Bad Gateway</html>', null, { error: { code: 'FAX_ERR_NEWER', message: 'm' } }, {}]) {
      const error = FaxApiError.fromResponse(502, body);
      assert.equal(error.code, 'FAX_ERR_BAD_RESPONSE');
      assert.equal(error.message, 'The server answered 502 without a faxd error body');
      assert.deepEqual(error.details, { status: 502, body });
    }
  });

  it('recognises catalog codes only', () => {
    assert.equal(isFaxErrorCode('FAX_ERR_INTERNAL'), true);
    assert.equal(isFaxErrorCode('FAX_ERR_toString'), false);
    assert.equal(isFaxErrorCode('toString'), false);
  });
});
