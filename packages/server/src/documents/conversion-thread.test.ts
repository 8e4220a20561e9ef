import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createPage, writeTiffClassF } from '@faxd/protocol';
import { repoRoot } from '@faxd/protocol/testing/paths';
import { DocumentError } from '../render/document-error.js';
import { ConversionThread } from './conversion-thread.js';
import { convertToFax, DocumentFailure } from './fax-conversion.js';

const letterPdf = readFileSync(join(repoRoot(), 'samples', 'letter.pdf'));
const note = new TextEncoder().encode('A cover note.\n');
const options = { paper: 'a4', compression: 'mmr', dateTime: new Date('2026-01-02T03:04:05Z') } as const;

/** A TIFF whose one strip is cut short: reading it throws a DecodeError. */
function truncatedTiff(): Uint8Array {
  const page = createPage({ width: 1728, height: 100, xResolution: 204, yResolution: 196 });
  const tiff = writeTiffClassF([page], { compression: 'mh' });
  return tiff.subarray(0, tiff.length - 20);
}

async function failureOf(conversion: Promise<unknown>): Promise<DocumentFailure> {
  const error = await conversion.then(
    () => assert.fail('the conversion succeeded'),
    (reason: unknown) => reason,
  );
  assert.ok(error instanceof DocumentFailure, `a DocumentFailure, not ${error}`);
  return error;
}

describe('ConversionThread', () => {
  it('converts documents on its thread to the same fax as on this one', async () => {
    const thread = new ConversionThread();
    try {
      const documents = [note, letterPdf];
      const there = await thread.convert(documents, options);
      const here = await convertToFax(documents, options);
      assert.deepEqual(there.pages, here.pages);
      assert.equal(there.pages.length, 3);
      assert.deepEqual(there.fax, here.fax);
      const again = await thread.convert([letterPdf], options);
      assert.deepEqual(again.pages, here.pages.slice(1), 'the same thread takes the next conversion');
    } finally {
      await thread.close();
    }
  });

  it('names the document that failed, with the class of its error', async () => {
    const thread = new ConversionThread();
    try {
      const damaged = new TextEncoder().encode('%PDF-1.4\ngarbage');
      const pdf = await failureOf(thread.convert([note, damaged], options));
      assert.equal(pdf.index, 1);
      assert.ok(pdf.cause instanceof DocumentError);
      assert.match(pdf.cause.message, /not a readable PDF/);
      assert.equal(pdf.cause.reason, 'unreadable');

      const tiff = await failureOf(thread.convert([truncatedTiff()], options));
      assert.equal(tiff.index, 0);
      // A decoder's DecodeError comes back as a DocumentError: the document is unreadable, as a damaged PDF is.
      assert.ok(tiff.cause instanceof DocumentError);
      assert.match(tiff.cause.message, /at byte \d+/, 'the decoder message kept');
      assert.equal(tiff.cause.reason, 'unreadable');

      // The reason crosses the thread with the class, so the API never reads the message to choose its answer.
      const unknown = await failureOf(thread.convert([note, Uint8Array.of(1, 0, 2, 0xff)], options));
      assert.ok(unknown.cause instanceof DocumentError);
      assert.equal(unknown.cause.reason, 'unknown-format');
    } finally {
      await thread.close();
    }
  });

  it('fails the conversions of a thread that ends, and starts a new thread for the next', async () => {
    const thread = new ConversionThread();
    try {
      const cut = thread.convert([letterPdf], options);
      await thread.close();
      await assert.rejects(cut, /conversion thread ended/);
      const next = await thread.convert([note], options);
      assert.equal(next.pages.length, 1);
    } finally {
      await thread.close();
    }
  });
});
