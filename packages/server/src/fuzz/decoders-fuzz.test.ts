// The short fuzz run in `npm test`: a few thousand inputs of fixed seed through every decoder that takes bytes from
// outside, in a worker thread as `npm run fuzz` runs them, and every input `npm run fuzz` ever found replayed.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FINDINGS_DIR as FINDINGS, fuzzTargetFor } from './fuzz-campaign.js';
import { FUZZ_TARGETS } from './fuzz-targets.js';

const INPUTS = 3000;
const SEED = 13;

function findingsOf(target: string): { name: string; input: Uint8Array }[] {
  const folder = join(FINDINGS, target);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => name.endsWith('.bin'))
    .sort()
    .map((name) => ({ name, input: new Uint8Array(readFileSync(join(folder, name))) }));
}

describe('fuzzing every decoder of outside bytes', () => {
  for (const target of FUZZ_TARGETS) {
    it(`${target.name}: ${INPUTS} inputs of seed ${SEED} neither crash, hang nor blow up`, async () => {
      const result = await fuzzTargetFor(target, {
        inputs: INPUTS,
        seed: SEED,
        // A watchdog for an endless loop, far above any input's time, so a loaded machine cannot trip it.
        hangMs: 60_000,
        heapMb: 512,
        rssGrowthMb: 1024,
      });
      assert.equal(result.inputs, INPUTS);
      assert.deepEqual(
        result.findings.map((f) => `${f.kind} at input ${f.index}: ${f.signature.split('\n')[0]}`),
        [],
      );
      assert.deepEqual([result.crashes, result.hangs, result.blowUps], [0, 0, 0]);
      // Some inputs go all the way through: the seeds are valid and the mutations do not only make noise.
      assert.ok(result.refused < INPUTS * 0.99, `${result.refused} of ${INPUTS} refused`);
    });
  }

  it('replays every input npm run fuzz found, each now decoded or refused with the decoder’s own error', async () => {
    let replayed = 0;
    for (const target of FUZZ_TARGETS) {
      const findings = findingsOf(target.name);
      if (findings.length === 0) continue;
      const harness = await target.start();
      try {
        for (const { name, input } of findings) {
          try {
            await harness.run(input);
          } catch (error) {
            assert.ok(target.expected(error), `${target.name}/${name}: ${(error as Error).stack}`);
          }
          replayed++;
        }
      } finally {
        await harness.close?.();
      }
    }
    assert.ok(replayed >= 2, `only ${replayed} findings replayed from ${FINDINGS}`);
  });

  describe('the fuzzer itself, on decoders with planted faults', () => {
    const planted = new URL('./planted-fault-targets.js', import.meta.url);
    const options = { inputs: 60, seed: SEED, hangMs: 1000, heapMb: 64, rssGrowthMb: 1024, targets: planted };
    const run = async (name: string, hangMs = options.hangMs) => {
      const { FUZZ_TARGETS: targets } = await import(planted.href);
      return fuzzTargetFor(
        targets.find((t: { name: string }) => t.name === name),
        { ...options, hangMs },
      );
    };
    /** The inputs of the run that have the planted fault's trigger, a length of 3 modulo 7. */
    const triggers = (inputs: readonly Uint8Array[]) => inputs.filter((input) => input.length % 7 === 3).length;

    it('counts every input that throws other than the decoder’s own error as a crash, and keeps one', async () => {
      const result = await run('crash');
      assert.ok(result.crashes > 0);
      assert.equal(result.findings.length, 1);
      assert.match(result.findings[0].signature, /^TypeError: a fault planted by the test/);
      assert.equal(result.findings[0].input.length % 7, 3);
      assert.deepEqual([result.hangs, result.blowUps], [0, 0]);
    });

    it('stops an input that never returns, records it as a hang, and runs the rest', async () => {
      const result = await run('hang');
      assert.ok(result.hangs > 0);
      assert.equal(result.hangs, triggers(result.findings.map((f) => f.input)));
      for (const finding of result.findings) {
        assert.equal(finding.kind, 'hang');
        assert.equal(finding.input.length % 7, 3);
      }
    });

    it('stops a thread whose heap passes its cap, records a blow-up, and runs the rest', async () => {
      // (No hang limit to speak of: a heap near its cap collects garbage slowly, and the cap is what is tested here.)
      const result = await run('blow-up', 60_000);
      assert.ok(result.blowUps > 0);
      for (const finding of result.findings) assert.equal(finding.kind, 'blow-up');
      assert.equal(result.crashes, 0);
    });
  });
});
