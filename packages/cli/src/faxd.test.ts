// The faxd command: refuses a bad configuration file with a message naming the problem, exit 1 and no stack trace;
// starts on a good one and stops cleanly on SIGTERM.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const FAXD = fileURLToPath(new URL('./faxd.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'faxd-command-'));
after(() => rmSync(work, { recursive: true, force: true }));

function faxdWith(config: string) {
  const file = join(work, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, config);
  return spawnSync(process.execPath, [FAXD, '--config', file], { cwd: work, encoding: 'utf8', timeout: 30_000 });
}

describe('faxd --config', () => {
  const refusals: [string, string, RegExp][] = [
    ['not JSON', '{"listen": ', /is not valid JSON/],
    [
      'an unknown key',
      '{"listen": "127.0.0.1:0", "colour": "blue"}',
      /invalid configuration at colour: is not a known setting/,
    ],
    ['a bad value', '{"outboundQueue": {"retries": "many"}}', /outboundQueue\.retries: expected a whole number/],
    [
      'a bad line',
      '{"lines": [{"id": 1, "kind": "t38", "bind": "nowhere"}]}',
      /lines\[0\]\.bind: "nowhere" is not HOST:PORT/,
    ],
  ];
  for (const [what, config, message] of refusals) {
    it(`refuses ${what}`, () => {
      const result = faxdWith(config);
      assert.equal(result.status, 1);
      assert.match(result.stderr, /^faxd: /);
      assert.match(result.stderr, message);
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    });
  }

  it('refuses a missing file', () => {
    const result = spawnSync(process.execPath, [FAXD, '--config', join(work, 'absent.json')], { encoding: 'utf8' });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /^faxd: .*absent\.json: no such file or directory/);
  });

  it('starts on a good configuration and stops on SIGTERM', async () => {
    const file = join(work, 'good.json');
    writeFileSync(file, JSON.stringify({ listen: '127.0.0.1:0', dataDir: join(work, 'var') }));
    const child = spawn(process.execPath, [FAXD, '--config', file], { cwd: work });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', () => {
        const match = /listening on (\S+);/.exec(output);
        if (match) resolve(match[1] as string);
      });
      child.on('exit', (code) => reject(new Error(`faxd exited with ${code}`)));
    });
    const ports = (await (await fetch(`${url}/v1/ports`)).json()) as unknown[];
    assert.equal(ports.length, 2);
    child.kill('SIGTERM');
    const code = await new Promise((resolve) => child.on('exit', resolve));
    assert.equal(code, 0);
    assert.match(output, /faxd: stopping/);
  });
});
