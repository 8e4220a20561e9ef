import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type BilevelPage, pageFromRows, samePixels, writeTiffClassF } from '@faxd/protocol';
import { libtiffPages } from '@faxd/protocol/testing/libtiff-pages';
import { ituChartPath } from '@faxd/protocol/testing/paths';
import { readPbm } from '@faxd/protocol/testing/pbm';
import { freeUdpPort } from '@faxd/server/testing/free-udp-port';

const FAX = fileURLToPath(new URL('../fax.js', import.meta.url));

/** Rows `from`..`from + rows` of an ITU chart at fine resolution: short pages keep the real-time call brief. */
function chartSlice(n: number, from: number, rows: number): BilevelPage {
  const chart = readPbm(ituChartPath(n));
  return pageFromRows({ ...chart, height: rows }, chart.data.slice(chart.stride * from, chart.stride * (from + rows)));
}

/** A UDP port free right now (bound and released). */

function fax(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [FAX, ...args], { cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function liveCall(extra: string[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'faxd-terminal-'));
  const pages = [chartSlice(1, 0, 300), chartSlice(4, 600, 300)];
  writeFileSync(join(dir, 'in.tif'), writeTiffClassF(pages, { compression: 'mh' }));
  const [a, b] = [await freeUdpPort(), await freeUdpPort()];
  const receiving = fax(
    [
      'terminal',
      'receive',
      '-o',
      'out.tif',
      '--bind',
      `127.0.0.1:${b}`,
      '--peer',
      `127.0.0.1:${a}`,
      '--json',
      '--ident',
      'RX 1',
      '--timeout',
      '120',
      ...extra,
    ],
    dir,
  );
  const sending = fax(
    [
      'terminal',
      'send',
      'in.tif',
      '--bind',
      `127.0.0.1:${a}`,
      '--peer',
      `127.0.0.1:${b}`,
      '--json',
      '--ident',
      'TX 1',
      '--timeout',
      '120',
      ...extra,
    ],
    dir,
  );
  const [rx, tx] = await Promise.all([receiving, sending]);
  assert.equal(tx.code, 0, tx.stderr);
  assert.equal(rx.code, 0, rx.stderr);
  const ecm = !extra.includes('--no-ecm');
  const sent = JSON.parse(tx.stdout);
  const received = JSON.parse(rx.stdout);
  assert.deepEqual(Object.keys(sent), [
    'ok',
    'pages',
    'remoteIdent',
    'bitRate',
    'ecm',
    'compression',
    'resolution',
    'seconds',
    'reason',
  ]);
  assert.deepEqual(
    [sent.ok, sent.pages, sent.remoteIdent, sent.bitRate, sent.ecm, sent.resolution, sent.reason],
    [true, 2, 'RX 1', 14400, ecm, 'fine', 'ok'],
  );
  assert.deepEqual([received.ok, received.pages, received.remoteIdent, received.ecm], [true, 2, 'TX 1', ecm]);
  const got = libtiffPages(join(dir, 'out.tif'), 2);
  for (const [i, page] of got.entries()) assert.ok(samePixels(page, pages[i] as BilevelPage), `page ${i + 1} pixels`);
}

describe('fax terminal over UDP on 127.0.0.1 (two processes, real time)', { concurrency: true }, () => {
  it('sends two pages with ECM and MMR', () => liveCall([]));
  it('sends two pages without ECM, MR', () => liveCall(['--no-ecm', '--compression', 'mr']));
  it('rejects a bad --peer as a usage error', async () => {
    const result = await fax(['terminal', 'send', 'x.tif', '--bind', '127.0.0.1:1', '--peer', 'nowhere'], tmpdir());
    assert.equal(result.code, 1);
    assert.match(result.stderr, /--peer must be HOST:PORT/);
  });
});
