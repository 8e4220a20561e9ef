// Test support: testing/smtp-sink.py, an SMTP server independent of faxd (aiosmtpd), as a child process whose accepted
// mails the tests read back parsed by Python's email package; and testing/smtp-send.py, an SMTP client (smtplib).

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from '@faxd/protocol/testing/paths';

/** Debian's aiosmtpd is installed for Debian's own Python, whatever `python3` comes first on PATH. */
const PYTHON = '/usr/bin/python3';

/** A mail as smtp-sink.py stored it. */
export interface SunkMail {
  readonly mailFrom: string;
  readonly rcptTos: string[];
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly messageId: string;
  readonly text: string;
  readonly attachments: { filename: string; contentType: string; path: string }[];
}

export interface SmtpSink {
  readonly port: number;
  /** Everything the sink printed so far (LISTENING, STALL, MAIL n). */
  output(): string;
  /** The mails accepted so far, in order. */
  mails(): Promise<SunkMail[]>;
  stop(): Promise<void>;
}

function requireAiosmtpd(): void {
  try {
    execFileSync(PYTHON, ['-c', 'import aiosmtpd']);
  } catch {
    throw new Error('aiosmtpd is not installed for /usr/bin/python3: apt-get install python3-aiosmtpd');
  }
}

/** Starts the sink storing mail under `directory` (on `port`, or a free one); the first `stall` mails get no answer. */
export async function startSmtpSink(
  directory: string,
  options: { port?: number; stall?: number } = {},
): Promise<SmtpSink> {
  requireAiosmtpd();
  const script = join(repoRoot(), 'packages/server/src/testing/smtp-sink.py');
  const args = [script, directory, '--port', String(options.port ?? 0), '--stall', String(options.stall ?? 0)];
  const child: ChildProcess = spawn(PYTHON, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.on('data', (chunk) => {
      output += chunk;
      const match = /LISTENING (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    child.on('exit', (code) => reject(new Error(`smtp-sink.py exited with ${code}: ${output}`)));
  });
  return {
    port,
    output: () => output,
    mails: async () => {
      const names = (await readdir(directory)).filter((name) => /^\d+\.json$/.test(name));
      names.sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10));
      return Promise.all(names.map(async (name) => JSON.parse(await readFile(join(directory, name), 'utf8'))));
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A TCP port on 127.0.0.1 nothing listens on (a relay that is away). */
export async function freeTcpPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** What smtp-send.py sends: `raw` a message file, or one it builds from subject, text and attachments. */
export interface SmtpSendRequest {
  readonly port: number;
  readonly from: string;
  readonly to: readonly string[];
  readonly raw?: string;
  readonly subject?: string;
  readonly text?: string;
  readonly attachments?: readonly { path: string; filename: string; contentType: string }[];
  readonly login?: readonly [string, string];
  /** STARTTLS before anything else, trusting only the CA in this PEM file. */
  readonly starttls?: string;
}

/** What the server answered: DATA's final reply, each RCPT refused, or the step that ended the dialogue. */
export interface SmtpSendAnswer {
  readonly accepted: boolean;
  readonly data?: [number, string];
  readonly refused: Record<string, [number, string]>;
  readonly error?: { stage: string; code: number; text: string };
  /** The SHA-256 fingerprint of the certificate STARTTLS was answered with (AB:CD:…). */
  readonly fingerprint?: string;
}

/** Sends one message with Python's smtplib, a client that is not faxd's code. */
export async function smtpSend(request: SmtpSendRequest): Promise<SmtpSendAnswer> {
  const script = join(repoRoot(), 'packages/server/src/testing/smtp-send.py');
  const child = spawn(PYTHON, [script], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  child.stdin.end(JSON.stringify(request));
  const code = await new Promise((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`smtp-send.py exited with ${code}: ${output}`);
  return JSON.parse(output) as SmtpSendAnswer;
}
