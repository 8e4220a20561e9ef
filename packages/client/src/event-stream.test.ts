import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type SseMessage, SseParser } from './event-stream.js';

const encoder = new TextEncoder();

function parse(text: string): SseMessage[] {
  return new SseParser().receive(encoder.encode(text));
}

/** Feeds `bytes` cut at each offset in `cuts`, collecting every message. */
function parseInPieces(bytes: Uint8Array, cuts: readonly number[]): SseMessage[] {
  const parser = new SseParser();
  const messages: SseMessage[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    messages.push(...parser.receive(bytes.subarray(from, cut)));
    from = cut;
  }
  return messages;
}

const message = (event: string, data: string, lastEventId = ''): SseMessage => ({ event, data, lastEventId });

describe('SseParser', () => {
  it('dispatches a message at each empty line, with its event name and data', () => {
    const text = 'event: outgoingJobAdded\ndata: {"event":"outgoingJobAdded","jobId":"7"}\n\nevent: x\ndata: 2\n\n';
    assert.deepEqual(parse(text), [
      message('outgoingJobAdded', '{"event":"outgoingJobAdded","jobId":"7"}'),
      message('x', '2'),
    ]);
  });

  it('gives the same messages however the bytes are split, even inside a UTF-8 character or a CRLF', () => {
    const text =
      ': keepalive\r\nevent: newCall\r\ndata: {"callerId":"Zoë ☎ 😀"}\r\n\r\n: keepalive\rdata: b\r\rdata: c\n\n';
    const bytes = encoder.encode(text);
    const whole = parseInPieces(bytes, []);
    assert.deepEqual(whole, [
      message('newCall', '{"callerId":"Zoë ☎ 😀"}'),
      message('message', 'b'),
      message('message', 'c'),
    ]);
    for (let cut = 1; cut < bytes.length; cut++) {
      assert.deepEqual(parseInPieces(bytes, [cut]), whole, `split at byte ${cut}`);
      assert.deepEqual(parseInPieces(bytes, [cut - 1, cut]), whole, `empty piece at byte ${cut}`);
    }
    const byteAtATime = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
    assert.deepEqual(parseInPieces(bytes, byteAtATime), whole);
  });

  it('ignores comment lines, including keep-alives between the lines of a message', () => {
    assert.deepEqual(parse(': keepalive\n\n:\ndata: a\n: keepalive\ndata: b\n\n'), [message('message', 'a\nb')]);
  });

  it('joins several data lines with LF and keeps empty data lines', () => {
    assert.deepEqual(parse('data: one\ndata:\ndata: three\n\n'), [message('message', 'one\n\nthree')]);
    assert.deepEqual(parse('data\n\n'), [message('message', '')]);
  });

  it('accepts CRLF, CR and LF line ends, mixed', () => {
    assert.deepEqual(parse('event: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\revent: c\ndata: 3\r\n\n'), [
      message('a', '1'),
      message('b', '2'),
      message('c', '3'),
    ]);
  });

  it('treats a CR ending one chunk and an LF opening the next as one line end', () => {
    const parser = new SseParser();
    assert.deepEqual(parser.receive(encoder.encode('data: a\r')), []);
    assert.deepEqual(parser.receive(encoder.encode('\ndata: b\r')), []);
    assert.deepEqual(parser.receive(encoder.encode('\n')), []);
    assert.deepEqual(parser.receive(encoder.encode('\r\n')), [message('message', 'a\nb')]);
  });

  it('strips one space after the colon only, and reads a field with no colon as empty', () => {
    assert.deepEqual(parse('data:x\n\ndata:  two spaces\n\nevent\ndata: y\n\n'), [
      message('message', 'x'),
      message('message', ' two spaces'),
      message('message', 'y'),
    ]);
  });

  it('drops a message without data, and unknown fields', () => {
    assert.deepEqual(parse('event: lonely\n\nfoo: bar\ndata: kept\n\n'), [message('message', 'kept')]);
  });

  it('keeps the last event id across messages and reads retry only when it is all digits', () => {
    const parser = new SseParser();
    const messages = parser.receive(encoder.encode('id: 5\nretry: 1500\ndata: a\n\nretry: 2s\ndata: b\n\nid: x\0y\n'));
    assert.deepEqual(messages, [message('message', 'a', '5'), message('message', 'b', '5')]);
    assert.equal(parser.retryMs, 1500);
  });

  it('strips a byte order mark opening the stream', () => {
    assert.deepEqual(parse('\uFEFFdata: a\n\n'), [message('message', 'a')]);
  });

  it('discards a message the stream ended before closing, then parses a new stream', () => {
    const parser = new SseParser();
    assert.deepEqual(parser.receive(encoder.encode('event: cut\ndata: half')), []);
    parser.end();
    assert.deepEqual(parser.receive(encoder.encode('data: fresh\n\n')), [message('message', 'fresh')]);
  });
});
