import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type BilevelPage, pageFromRows, samePixels, writeTiffClassF } from '@faxd/protocol';
import { libtiffPages } from '@faxd/protocol/testing/libtiff-pages';
import { ituChartPath } from '@faxd/protocol/testing/paths';
import { readPbm } from '@faxd/protocol/testing/pbm';
import { workDirs } from '@faxd/protocol/testing/work-dirs';
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

/** What the sender's `--json` should say of the line: 14 400 bit/s over T.38; over audio, the modem faxd ran. */
interface LineExpected {
  readonly bitRate: number;
  readonly media: 't38' | 'pcmu' | 'pcma';
  readonly modem: 'V.29' | 'V.27ter' | null;
}

const T38: LineExpected = { bitRate: 14400, media: 't38', modem: null };

const workDir = workDirs('faxd-terminal-');

async function liveCall(extra: string[], line: LineExpected = T38): Promise<void> {
  const dir = workDir();
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
    'media',
    'modem',
  ]);
  assert.deepEqual(
    [sent.ok, sent.pages, sent.remoteIdent, sent.bitRate, sent.ecm, sent.resolution, sent.reason],
    [true, 2, 'RX 1', line.bitRate, ecm, 'fine', 'ok'],
  );
  assert.deepEqual([sent.media, sent.modem], [line.media, line.modem]);
  assert.deepEqual(
    [received.ok, received.pages, received.remoteIdent, received.ecm, received.media, received.modem],
    [true, 2, 'TX 1', ecm, line.media, line.modem],
  );
  const got = libtiffPages(join(dir, 'out.tif'), 2);
  for (const [i, page] of got.entries()) assert.ok(samePixels(page, pages[i] as BilevelPage), `page ${i + 1} pixels`);
}

describe('fax terminal over UDP on 127.0.0.1 (two processes, real time)', { concurrency: true }, () => {
  it('sends two pages with ECM and MMR', () => liveCall([]));
  it('sends two pages without ECM, MR', () => liveCall(['--no-ecm', '--compression', 'mr']));
  it('sends two pages as G.711 µ-law in RTP on faxd’s modems, ECM and MMR (V.29)', () =>
    liveCall(['--media', 'pcmu', '--modems', 'v29,v27ter'], { bitRate: 9600, media: 'pcmu', modem: 'V.29' }));
  it('sends two pages as G.711 A-law in RTP, no ECM, MR, offering V.27ter only', () =>
    liveCall(['--media', 'pcma', '--no-ecm', '--compression', 'mr', '--modems', 'v27ter'], {
      bitRate: 4800,
      media: 'pcma',
      modem: 'V.27ter',
    }));
  it('rejects an unknown --media or --modems as a usage error', async () => {
    const media = await fax(
      ['terminal', 'send', 'x.tif', '--bind', '127.0.0.1:1', '--peer', '127.0.0.1:2', '--media', 'g729'],
      tmpdir(),
    );
    assert.equal(media.code, 1);
    assert.match(media.stderr, /--media must be one of t38, pcmu, pcma/);
    const modems = await fax(
      ['terminal', 'send', 'x.tif', '--bind', '127.0.0.1:1', '--peer', '127.0.0.1:2', '--modems', 'v34'],
      tmpdir(),
    );
    assert.equal(modems.code, 1);
    assert.match(modems.stderr, /--modems takes v17,v29,v27ter/);
  });
  it('rejects a bad --peer as a usage error', async () => {
    const result = await fax(['terminal', 'send', 'x.tif', '--bind', '127.0.0.1:1', '--peer', 'nowhere'], tmpdir());
    assert.equal(result.code, 1);
    assert.match(result.stderr, /--peer must be HOST:PORT/);
  });
});
