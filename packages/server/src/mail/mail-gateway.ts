// The email-to-fax gateway (issue 15 item 2, HylaFAX's faxmail): an SMTP listener (smtp-server) where a message to
// NUMBER@domain becomes a fax to NUMBER, several recipients one broadcast, the attachments its documents in order and
// the body a first page when it has text and nothing is attached. Whatever cannot become a whole submission is refused
// in the SMTP dialogue (RFC 5321 §4.2 codes, RFC 3463 enhanced codes) before any job exists: a sender not allowed at
// RCPT, a recipient that is not a fax number at RCPT, an oversized, malformed or unfaxable message at the end of DATA,
// the last three also explained by a mail back to the sender. Accepted mail asks for a delivery report to the sender.
// A sender signed in with SMTP AUTH as a faxd user needs no allowFrom entry but a submit right, and owns the jobs.
// With faxd's `tls` certificate the gateway offers STARTTLS (RFC 3207), and `requireTls` refuses AUTH and MAIL before
// it. Each submission is in the audit log as an API submission is, by the user or the sender's address.

import { FaxApiError, type SubmittedDocument } from '@faxd/contract';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerAddress, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { SignInThrottle } from '../api/sign-in-throttle.js';
import { ADMINISTRATOR, type Caller, checkSubmitRight } from '../auth/caller.js';
import { ConfigError, type MailGatewayConfig } from '../config/faxd-config.js';
import { newId } from '../service/data-files.js';
import { reportFaultToStderr } from '../service/fault-report.js';
import type { FaxService } from '../service/fax-service.js';
import { actorOf } from '../store/audit-log.js';
import type { TlsCredentials } from '../tls/tls-credentials.js';
import { messageProblem } from './mime-check.js';

/** An SMTP refusal: the reply code, and the text after it (starting with the enhanced status code). */
export class SmtpRefusal extends Error {
  readonly responseCode: number;
  constructor(responseCode: number, message: string) {
    super(message);
    this.responseCode = responseCode;
  }
}

/** The types a fax can be made of (DESIGN.md §3 `fax convert`), with the extension the converter knows them by. */
const FAXABLE: Readonly<Record<string, string>> = {
  'application/pdf': 'pdf',
  'image/tiff': 'tif',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'text/plain': 'txt',
};

/** A fax number as the API takes one: digits, an optional leading +, and the separators people write. */
const FAX_NUMBER = /^\+?[0-9][0-9().-]{0,39}$/;

export interface RunningMailGateway {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * `tls`, when faxd has a certificate, is offered by STARTTLS, and reloaded with it (SIGHUP). `signIns` counts failed
 * SMTP logins; shared with the console's sign-in, a password guesser gets no more tries by using both.
 */
export async function startMailGateway(
  config: MailGatewayConfig,
  service: FaxService,
  tls?: TlsCredentials,
  signIns = new SignInThrottle(),
): Promise<RunningMailGateway> {
  await checkSubmitAs(config, service);
  const maxBytes = config.maxMessageMegabytes * 1024 * 1024;
  const server = new SMTPServer({
    banner: 'faxd mail gateway',
    size: maxBytes,
    logger: false,
    authOptional: !config.requireAuth,
    ...tlsOptions(config, tls),
    onAuth: (auth, session, callback) => {
      smtpSignIn(auth.username ?? '', auth.password ?? '', session, service, signIns).then(
        (caller) => (caller instanceof SmtpRefusal ? callback(caller) : callback(null, { user: caller })),
        (error: unknown) => {
          reportFaultToStderr('an SMTP login could not be checked', error);
          callback(new SmtpRefusal(454, '4.7.0 Temporary authentication failure'));
        },
      );
    },
    onMailFrom: (_address, session, callback) => callback(tlsRefusal(config, session)),
    onRcptTo: (address, session, callback) => {
      recipientRefusal(config, address, session, service).then(callback, (error: unknown) => {
        reportFaultToStderr('a mailed fax recipient could not be checked', error);
        callback(new SmtpRefusal(451, '4.3.0 The fax server could not check the sender now; try again later'));
      });
    },
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      stream.on('data', (chunk: Buffer) => {
        // Past the limit the rest is read and dropped: the reply waits for the end of DATA (RFC 5321 §4.1.1.4).
        bytes += chunk.length;
        if (bytes <= maxBytes) chunks.push(chunk);
      });
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const accepted = stream.sizeExceeded
          ? Promise.reject(new SmtpRefusal(552, `5.3.4 The message is larger than ${config.maxMessageMegabytes} MB`))
          : submitMessage(raw, config, session, service);
        accepted.then(
          (reply) => callback(null, reply),
          (error: unknown) => {
            const refusal = asRefusal(error);
            refuseByMail(service, session, refusal).catch((fault: unknown) =>
              reportFaultToStderr('the refusal of a mailed fax was not mailed back', fault),
            );
            callback(refusal);
          },
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.listen.port, config.listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => reportFaultToStderr('the mail gateway', error));
  // A renewed certificate serves the next STARTTLS; sessions already encrypted keep theirs.
  const unserve = tls?.serve({ setSecureContext: (pair) => server.updateSecureContext({ ...pair }) });
  const { port } = server.server.address() as { port: number };
  return {
    host: config.listen.host,
    port,
    close: () => {
      unserve?.();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * STARTTLS with faxd's certificate when it has one (else there is nothing to offer it with); AUTH only when asked for,
 * and in clear only without requireTls (smtp-server then answers AUTH before STARTTLS 538, RFC 3207 §4).
 */
function tlsOptions(config: MailGatewayConfig, tls: TlsCredentials | undefined): Partial<SMTPServerOptions> {
  const disabled = [...(tls ? [] : ['STARTTLS']), ...(config.requireAuth ? [] : ['AUTH'])];
  return {
    disabledCommands: disabled,
    allowInsecureAuth: !config.requireTls,
    ...(tls && { key: tls.current.key, cert: tls.current.cert }),
  };
}

/** With requireTls, no mail in clear either: the documents are as private as the password. */
function tlsRefusal(config: MailGatewayConfig, session: SMTPServerSession): SmtpRefusal | null {
  return config.requireTls && !session.secure
    ? new SmtpRefusal(530, '5.7.0 Must issue a STARTTLS command first')
    : null;
}

/**
 * Mail an allowFrom entry lets in is submitted as the `submitAs` user: an administrator expects it to be governed like
 * every other submission, by a user's rights (its submit right sets the priorities allowed; taking the right away, or
 * removing the user, stops such mail without editing the configuration) and owned by someone who can see and manage
 * it through the API without the rights over everyone's jobs. On a server with users, mail submitted with the token's
 * standing would be no one's and unlimited, so there submitAs is required, and must name a user.
 */
async function checkSubmitAs(config: MailGatewayConfig, service: FaxService): Promise<void> {
  if (config.submitAs !== null) {
    if (!(await service.users.callerNamed(config.submitAs))) {
      throw new ConfigError('mailGateway.submitAs', `there is no user named ${config.submitAs}`);
    }
    return;
  }
  if (config.requireAuth || config.allowFrom.length === 0 || !(await service.users.any())) return;
  throw new ConfigError(
    'mailGateway.submitAs',
    'is required with allowFrom on a server with users: name the user whose rights apply to mail from those senders',
  );
}

/** Who a session submits as, or why it may not: its SMTP AUTH user, or the submitAs user for an allowed sender. */
async function submitterOf(
  config: MailGatewayConfig,
  session: SMTPServerSession,
  service: FaxService,
): Promise<Caller | SmtpRefusal> {
  const signedIn = userOf(session);
  if (signedIn) {
    // Rights as they are now: a user removed or changed since AUTH counts from the next command.
    const now = await service.users.recheck(signedIn);
    return now ?? new SmtpRefusal(550, `5.7.1 The user ${signedIn.name} no longer exists`);
  }
  if (!isAllowed(config, senderOf(session))) {
    return new SmtpRefusal(550, '5.7.1 This sender may not send faxes through this gateway');
  }
  if (config.submitAs === null) {
    // Users added since faxd started: the mail waits (4xx) until the configuration names whose it is.
    return (await service.users.any())
      ? new SmtpRefusal(451, '4.7.0 The gateway has no mailGateway.submitAs user for senders that do not sign in')
      : ADMINISTRATOR;
  }
  const caller = await service.users.callerNamed(config.submitAs);
  return caller ?? new SmtpRefusal(451, `4.7.0 The gateway's submitAs user ${config.submitAs} no longer exists`);
}

/** Records a mailed submission as POST /v1/jobs records one: who, `submitted`, the job or broadcast, from where. */
function auditSubmission(
  service: FaxService,
  session: SMTPServerSession,
  submitted: { jobId?: string; broadcastId?: string | null; jobIds?: readonly string[] },
): void {
  const user = userOf(session);
  const act = {
    // A user name never holds a colon, so a sender's address cannot pass for one.
    actor: user ? actorOf(user) : `mail:${senderOf(session)}`,
    action: 'submitted' as const,
    object: submitted.jobIds ? `broadcast:${submitted.broadcastId}` : `job:${submitted.jobId}`,
    address: session.remoteAddress,
  };
  service.audit
    .record(act)
    .catch((error: unknown) => reportFaultToStderr(`${act.action} ${act.object} not audited`, error));
}

/**
 * SMTP AUTH signs in as one of faxd's users, by name and password (PLAIN or LOGIN; no API keys here), within the
 * limits on failed sign-ins (454 past them, RFC 4954's temporary failure, so the client's retry waits).
 */
async function smtpSignIn(
  name: string,
  password: string,
  session: SMTPServerSession,
  service: FaxService,
  signIns: SignInThrottle,
): Promise<Caller | SmtpRefusal> {
  const seconds = signIns.attempt(name, session.remoteAddress, Date.now());
  if (seconds > 0) return new SmtpRefusal(454, `4.7.0 Too many failed sign-ins: try again in ${seconds} s`);
  const caller = await service.users.signIn(name, password);
  if (!caller) return new SmtpRefusal(535, '5.7.8 Authentication credentials invalid');
  signIns.succeeded(name, session.remoteAddress, Date.now());
  return caller;
}

/** The faxd user the session signed in as (SMTP AUTH), if it did. */
function userOf(session: SMTPServerSession): Caller | undefined {
  return session.user as Caller | undefined;
}

function senderOf(session: SMTPServerSession): string {
  const from = session.envelope.mailFrom;
  return from ? from.address.toLowerCase() : '';
}

function isAllowed(config: MailGatewayConfig, sender: string): boolean {
  const domain = sender.slice(sender.lastIndexOf('@'));
  return sender !== '' && config.allowFrom.some((entry) => entry === sender || entry === domain);
}

async function recipientRefusal(
  config: MailGatewayConfig,
  address: SMTPServerAddress,
  session: SMTPServerSession,
  service: FaxService,
): Promise<SmtpRefusal | null> {
  const submitter = await submitterOf(config, session, service);
  if (submitter instanceof SmtpRefusal) return submitter;
  try {
    checkSubmitRight(submitter);
  } catch {
    return new SmtpRefusal(550, `5.7.1 The user ${submitter.name} may not submit faxes (no submit-normal right)`);
  }
  const at = address.address.lastIndexOf('@');
  const [number, domain] = [address.address.slice(0, at), address.address.slice(at + 1).toLowerCase()];
  if (domain !== config.domain || !FAX_NUMBER.test(number)) {
    return new SmtpRefusal(550, `5.1.1 ${address.address} is not a fax number at ${config.domain}`);
  }
  if (session.envelope.rcptTo.length >= service.config.limits.recipientsPerSubmission) {
    return new SmtpRefusal(452, '4.5.3 Too many recipients in one message');
  }
  return null;
}

/** The message's documents in order; the body as one when nothing is attached and it has text. */
function documentsOf(mail: ParsedMail): SubmittedDocument[] {
  const documents: SubmittedDocument[] = [];
  for (const [index, attachment] of mail.attachments.entries()) {
    // A picture the HTML body shows (multipart/related) is part of the body, not a document.
    if (attachment.related) continue;
    const extension = FAXABLE[attachment.contentType.toLowerCase()];
    const name = attachment.filename ?? `attachment-${index + 1}`;
    if (!extension) {
      throw new SmtpRefusal(
        554,
        `5.6.1 ${name} (${attachment.contentType}) cannot be faxed: attach PDF, TIFF, PNG, JPEG or text`,
      );
    }
    const named = name.toLowerCase().endsWith(`.${extension}`) ? name : `${name}.${extension}`;
    documents.push({ name: named, contentBase64: attachment.content.toString('base64') });
  }
  const text = mail.text?.trim() ?? '';
  if (documents.length === 0 && text !== '') {
    documents.push({ name: 'message.txt', contentBase64: Buffer.from(`${text}\n`).toString('base64') });
  }
  if (documents.length === 0) throw new SmtpRefusal(554, '5.6.0 The message has no text and no attachment to fax');
  return documents;
}

async function submitMessage(
  raw: Buffer,
  config: MailGatewayConfig,
  session: SMTPServerSession,
  service: FaxService,
): Promise<string> {
  const problem = messageProblem(raw);
  if (problem) throw new SmtpRefusal(554, `5.6.0 The message is not well-formed MIME: ${problem}`);
  const mail = await simpleParser(raw, { skipHtmlToText: false, skipTextLinks: true });
  const documents = documentsOf(mail);
  const numbers = session.envelope.rcptTo.map(({ address }) => address.slice(0, address.lastIndexOf('@')));
  const sender = senderOf(session);
  const cover = config.coverPage ? { coverPage: { subject: mail.subject ?? '' } } : {};
  const common = {
    documents,
    senderName: mail.from?.value[0]?.name || sender,
    ...(sender ? { notify: sender } : {}),
    ...cover,
  };
  // Asked again at the end of DATA: the submitAs user's rights may have changed since RCPT.
  const submitter = await submitterOf(config, session, service);
  if (submitter instanceof SmtpRefusal) throw submitter;
  const submitted = await service.submit(
    numbers.length === 1
      ? { ...common, to: numbers[0] as string }
      : { ...common, recipients: numbers.map((number) => ({ number })) },
    submitter,
  );
  auditSubmission(service, session, submitted);
  const jobIds = 'jobIds' in submitted ? submitted.jobIds : [submitted.jobId];
  return `2.0.0 Queued as fax job${jobIds.length > 1 ? 's' : ''} ${jobIds.join(' ')}`;
}

/** A submission's refusal as SMTP says it: the caller's fault is permanent (5xx), faxd's own trouble transient (4xx). */
function asRefusal(error: unknown): SmtpRefusal {
  if (error instanceof SmtpRefusal) return error;
  if (error instanceof FaxApiError) {
    const status = error.status;
    if (status === 413) return new SmtpRefusal(552, `5.3.4 ${error.message}`);
    if (status >= 400 && status < 500) return new SmtpRefusal(554, `5.6.0 ${error.message}`);
    return new SmtpRefusal(451, `4.3.0 ${error.message}`);
  }
  reportFaultToStderr('a mailed fax was not submitted', error);
  return new SmtpRefusal(451, '4.3.0 The fax server could not take the message now; try again later');
}

/**
 * Explains a refusal at the end of DATA to the sender by mail as well: the SMTP reply reaches the sender's own server,
 * which may or may not pass it on. Only allowed or authenticated senders get here, so this is never backscatter.
 */
async function refuseByMail(service: FaxService, session: SMTPServerSession, refusal: SmtpRefusal): Promise<void> {
  const sender = senderOf(session);
  // A transient refusal (4xx) is tried again by the sender's server: nothing to explain yet.
  if (!sender || !service.config.smtp || refusal.responseCode < 500) return;
  const to = session.envelope.rcptTo.map(({ address }) => address).join(', ');
  const body = [
    `Your message to ${to} was not faxed: no fax job was created.`,
    '',
    `Why: ${refusal.message.replace(/^\d\.\d+\.\d+ /, '')}.`,
    `(SMTP reply ${refusal.responseCode} ${refusal.message})`,
    '',
  ].join('\n');
  const subject = 'Your message was not faxed';
  await service.mail.enqueueOnce({ kind: 'refusal', sourceId: newId(), to: [sender], subject, body, attachments: [] });
}
