// A node's own lease on a manual clock, over PostgreSQL (where other nodes can take its calls over): its calls are
// told to stop at the moment the lease is no longer surely its own — the send time of the last renewal the store
// acknowledged, plus the lease, less a fifth — not at the first heartbeat after the lease has lapsed, when another
// node may already be sending their jobs again. Alone on SQLite, a node's calls never stop for want of a renewal.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseFaxdConfig, type StoreConfig } from '../config/faxd-config.js';
import { type FaxdDb, openDatabase } from '../store/database.js';
import { ManualClock } from '../testing/manual-clock.js';
import { createTestDatabase } from '../testing/postgres-server.js';
import { ClusterNode } from './cluster-node.js';
import { leaseHoldMs } from './lease-deadline.js';

const LEASE_SECONDS = 30;

describe('a node’s own lease', () => {
  const cleanups: (() => Promise<void>)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  /** A node on a new database; `onRenewed` runs at each renewal that kicks the queue, after counting it. */
  async function joined(
    clock: ManualClock,
    onRenewed: (node: ClusterNode) => void = () => {},
    store: StoreConfig | undefined = undefined,
  ) {
    store ??= { kind: 'postgres', url: await createTestDatabase() };
    const db: FaxdDb = await openDatabase(store);
    cleanups.push(() => db.destroy());
    const config = {
      ...parseFaxdConfig({ nodeId: 'n1', cluster: { leaseSeconds: LEASE_SECONDS, heartbeatSeconds: 5 } }),
      store,
    };
    const lost: number[] = [];
    let renewals = 0;
    const node = await ClusterNode.join({
      db,
      config,
      ports: [],
      clock,
      settle: async () => {},
      onRenewed: () => {
        renewals += 1;
        onRenewed(node);
      },
      onLeaseLost: () => lost.push(clock.now()),
    });
    cleanups.push(() => node.stop());
    return { node, db, lost, renewals: () => renewals };
  }

  it('is given up when no renewal has been acknowledged for the lease less a fifth, not a heartbeat later', async () => {
    const clock = new ManualClock(1_000_000);
    const { node, lost } = await joined(clock);
    node.start();
    // Time runs on while the store answers nothing: the renewal sent at the first heartbeat is still on its way.
    clock.advance(leaseHoldMs(LEASE_SECONDS) - 1);
    assert.ok(node.holdsLease());
    assert.deepEqual(lost, []);
    clock.advance(1);
    assert.ok(!node.holdsLease(), 'not surely its own from the deadline on');
    assert.deepEqual(lost, [1_000_000 + 24_000], 'calls told to stop at the deadline, six seconds before the lapse');
  });

  it('comes back with a renewal acknowledged after the deadline, counted from when it was sent', async () => {
    const clock = new ManualClock(2_000_000);
    // No renewal after the first: it is all the lease stands on.
    const { node, lost, renewals } = await joined(clock, (renewed) => void renewed.stop());
    node.start();
    // The renewal sent at 5 s is held up until 25 s (past the 24 s deadline), then acknowledged.
    clock.advance(25_000);
    assert.deepEqual(lost, [2_024_000]);
    await waitUntil(() => renewals() > 0);
    assert.ok(node.holdsLease());
    assert.equal(renewals(), 1, 'the queue is kicked: the node may take up work again');
    // Held until 5 s + 24 s, not 25 s + 24 s: the others count the lease from the time stored, the time it was sent.
    clock.advance(29_000 - 25_000 - 1);
    assert.ok(node.holdsLease());
    clock.advance(1);
    assert.ok(!node.holdsLease());
  });

  it('is never given up by a node alone on SQLite, whose renewal a full disk may refuse', async () => {
    const clock = new ManualClock(3_000_000);
    const dataDir = await mkdtemp(join(tmpdir(), 'faxd-lease-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const { node, lost } = await joined(clock, () => {}, { kind: 'sqlite', file: join(dataDir, 'faxd.sqlite') });
    node.start();
    clock.advance(60_000);
    assert.ok(node.holdsLease());
    assert.deepEqual(lost, []);
  });
});

/** Lets the store's answers come in (real I/O, while the manual clock stands still) until `check` holds. */
async function waitUntil(check: () => boolean): Promise<void> {
  for (let turns = 0; !check(); turns++) {
    if (turns > 10_000) throw new Error('the store never acknowledged the renewal');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
