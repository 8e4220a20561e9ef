// `npm test`'s runner: every compiled test file, five at a time, the longest first. `node --test FILE...` sorts the
// files it is given by name, so a long file named late starts late and runs alone at the end while the other workers
// sit idle; node:test's run() keeps the order it is given, and this script gives the slow files first.
//
// Usage: node scripts/run-tests.mjs [FILE...]   (compiled .js files; default: every *.test.ts under packages/*/src)
//        node scripts/run-tests.mjs --store-dependent   (only the files whose outcome depends on faxd's store: the
//                                                         README's PostgreSQL pass)
//        node scripts/run-tests.mjs --list [--store-dependent]   (prints the files in the order they start, and
//                                                                  runs nothing)

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { run } from 'node:test';
import { spec, tap } from 'node:test/reporters';
import { fileURLToPath } from 'node:url';

/**
 * Five. The first pass's cores are only 60% busy at four (most of a file's time is a call waiting on the line): five
 * take it from 690 s to 571 s. Runs at five used to fail real-time SIP calls with SpanDSP, both ends waiting on the
 * other, because SpanDSP's caller started before a busy sipp had placed the call (it now starts once faxd answers),
 * and cluster-events, on an event-order defect since fixed. The PostgreSQL pass is bound by the CPU: 424 s at six as
 * at four.
 */
const CONCURRENCY = 5;
const TIMEOUT_MS = 300_000;

/**
 * Test files that take longest in a pass, longest first (wall time in a loaded pass of four at once, measured
 * 2026-12-07; files under about 15 s are left to the name order). A file missing from here runs
 * after these in name order; a file here that does not exist is skipped. Refresh the list when a pass ends with one
 * file running alone.
 */
const SLOW_FIRST = [
  'packages/server/src/service/cluster-takeover.test.ts',
  'packages/server/src/service/cluster-volume.test.ts',
  'packages/server/src/service/cluster-fencing.test.ts',
  'packages/server/src/service/crash-recovery.test.ts',
  'packages/server/src/lines/sip-audio-fax.sipp.test.ts',
  'packages/server/src/lines/sip-line-exposure.test.ts',
  'packages/server/src/lines/sip-session.sipp.test.ts',
  'packages/server/src/service/retry.test.ts',
  'packages/server/src/lines/t38-call.interop.test.ts',
  'packages/server/src/service/full-disk.test.ts',
  'packages/server/src/service/spandsp-line.test.ts',
  'packages/server/src/lines/sip-line.sipp.test.ts',
  'packages/cli/src/commands/terminal.test.ts',
  'packages/web/src/console-lines.test.ts',
  'packages/server/src/lines/sip-audio-first.sipp.test.ts',
  'packages/server/src/service/routing-recovery.test.ts',
  'packages/server/src/service/reception-storage.test.ts',
  'packages/server/src/lines/sip-line-hostile.test.ts',
  'packages/server/src/fuzz/decoders-fuzz.test.ts',
  'packages/server/src/service/cluster-events.test.ts',
  'packages/server/src/tls/https-api.test.ts',
  'packages/server/src/service/loopback-fax.test.ts',
  'packages/server/src/service/unacknowledged-invite.test.ts',
  'packages/server/src/lines/audio-call.interop.test.ts',
  'packages/server/src/service/inbox-row-retry.test.ts',
  'packages/server/src/service/live-status.test.ts',
  'packages/server/src/auth/user-store.test.ts',
  'packages/cli/src/faxd-user.test.ts',
  'packages/server/src/tls/sip-tls.test.ts',
  'packages/cli/src/commands/server-commands.test.ts',
  'packages/server/src/api/job-document.test.ts',
  'packages/server/src/testing/spandsp-rtp-fax-peer.interop.test.ts',
  'packages/web/src/console-accessibility.test.ts',
  'packages/server/src/metrics/faxd-metrics.test.ts',
  'packages/server/src/mail/fax-to-email.test.ts',
  'packages/server/src/api/hostile-requests.test.ts',
  'packages/server/src/service/sandbox-fax.test.ts',
  'packages/server/src/mail/mail-cover-page.test.ts',
  'packages/server/src/service/incoming-job.test.ts',
  'packages/server/src/service/outbound-queue.test.ts',
  'packages/server/src/logging/call-log.test.ts',
  'packages/server/src/lines/sip-outbound-job.sipp.test.ts',
  'packages/server/src/mail/fax-to-email-restart.test.ts',
  'packages/server/src/lines/sip-cancel-reception.sipp.test.ts',
  'packages/server/src/lines/sip-hangup-job.sipp.test.ts',
  'packages/cli/src/commands/sdk-end-to-end.test.ts',
  'packages/server/src/api/archive-delete.test.ts',
  'packages/server/src/lines/sip-line-tls.test.ts',
  'packages/server/src/lines/sip-line-tcp.test.ts',
  'packages/server/src/service/broadcast-fax.test.ts',
];

/**
 * What the PostgreSQL pass leaves out, as path prefixes: code that never opens faxd's store (the protocol engines,
 * codecs and modems, the contract, the client, document rendering and parsing, configuration, `fax convert`,
 * `fax terminal`, the CLI's text, the service's clocks and small parts tested alone, the test helpers' own tests); the
 * tests of the SIP, T.38 and audio lines, whose point is the line and whose calls record jobs by the same path the
 * service's tests take on both stores; the web console's tests in Chromium, whose pages reach the store only through
 * the API, its event stream and its console sessions, which the API's own tests run on both stores; the tests that
 * start a PostgreSQL database of their own whatever the pass (the cluster, its event log and port board, the store
 * itself), which the first pass has run on PostgreSQL already; and those that keep faxd on SQLite whatever the pass
 * (`faxd --config`'s own configuration files, and the audit test, which reads the SQLite file for secrets).
 */
const STORE_INDEPENDENT = [
  'packages/protocol/',
  'packages/contract/',
  'packages/client/',
  'packages/cli/src/audit-session.test.ts',
  'packages/cli/src/faxd.test.ts',
  'packages/cli/src/commands/convert.test.ts',
  'packages/cli/src/commands/recipients-csv.test.ts',
  'packages/cli/src/commands/send-progress.test.ts',
  'packages/cli/src/commands/terminal.test.ts',
  'packages/server/src/auth/console-sessions.test.ts',
  'packages/server/src/lines/',
  'packages/server/src/config/',
  'packages/server/src/documents/',
  'packages/server/src/fuzz/',
  'packages/server/src/render/',
  'packages/server/src/service/bounded-map.test.ts',
  'packages/server/src/service/cluster-',
  'packages/server/src/service/confirmed-before-end.test.ts',
  'packages/server/src/service/discount-window.test.ts',
  'packages/server/src/service/lease-deadline.test.ts',
  'packages/server/src/service/port-runtime.test.ts',
  'packages/server/src/service/port-status-board.test.ts',
  'packages/server/src/service/unrecorded-ends.test.ts',
  'packages/server/src/store/postgres-store.test.ts',
  'packages/server/src/store/preparing-pool.test.ts',
  'packages/server/src/testing/',
  'packages/web/',
];

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Every test source under packages/*\/src, as `find` lists it, so a new test file is always included. */
function allTestSources() {
  const found = execFileSync(
    'find',
    ['packages', '-path', '*/src/*', '-name', '*.test.ts', '-not', '-path', '*/node_modules/*'],
    { cwd: root, encoding: 'utf8' },
  );
  return found.split('\n').filter(Boolean).sort();
}

/** The compiled file `npm run build` writes for a test source. */
const compiled = (source) => join(root, source.replace('/src/', '/dist/').replace(/\.ts$/, '.js'));

function testFiles({ storeDependent }) {
  const sources = allTestSources().filter(
    (source) => !storeDependent || !STORE_INDEPENDENT.some((prefix) => source.startsWith(prefix)),
  );
  const slow = SLOW_FIRST.filter((source) => sources.includes(source));
  const rest = sources.filter((source) => !slow.includes(source));
  return [...slow, ...rest].map(compiled);
}

const args = process.argv.slice(2);
const options = new Set(args.filter((arg) => arg.startsWith('--')));
const named = args.filter((arg) => !arg.startsWith('--'));
const unknown = [...options].filter((option) => option !== '--list' && option !== '--store-dependent');
if (unknown.length > 0) {
  console.error(`run-tests: unknown option ${unknown.join(' ')} (known: --list, --store-dependent)`);
  process.exit(2);
}
const listOnly = options.has('--list');
const files = named.length > 0 ? named : testFiles({ storeDependent: options.has('--store-dependent') });
if (listOnly) {
  console.log(files.join('\n'));
  process.exit(0);
}
const missing = files.filter((file) => !existsSync(file));
if (missing.length > 0) {
  console.error(`run-tests: not built (run npm run build): ${missing.join(' ')}`);
  process.exit(1);
}

// Each test file is a process of its own, and many start faxd processes too, each loading the same modules (a faxd
// start: 1.55 s of CPU on Node.js 24, 1.0 s with this cache). V8 keeps what it compiled under .cache/ for every
// process of the run (Node.js 22.1 and later; older ones ignore the variable); a changed file is compiled again.
process.env.NODE_COMPILE_CACHE ??= join(root, '.cache', 'compile-cache');

// As `node --test` does: spec on a terminal, TAP into a pipe or a file; any failed test fails the run.
const reporter = process.stdout.isTTY ? new spec() : tap;
const failures = [];
run({ files, concurrency: CONCURRENCY, timeout: TIMEOUT_MS })
  .on('test:fail', (event) => {
    if (event.todo) return;
    process.exitCode = 1;
    if (event.details.type !== 'suite') failures.push(failureLine(event));
  })
  .compose(reporter)
  .on('end', () => printFailures(failures))
  .pipe(process.stdout);

/**
 * One line per failed test, naming its file and its first line of error: a pass prints thousands of lines and a log
 * that keeps only its tail must still say what failed.
 */
function failureLine(event) {
  const error = event.details.error;
  const reason = String(error?.cause?.message ?? error?.message ?? error).split('\n')[0];
  const file = event.file ? `${event.file.replace(`${root}/`, '')}: ` : '';
  return `${file}${event.name}: ${reason}`;
}

function printFailures(lines) {
  if (lines.length === 0) return;
  process.stdout.write(`\nrun-tests: ${lines.length} failed\n${lines.map((line) => `  ${line}\n`).join('')}`);
}
