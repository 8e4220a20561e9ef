// The mail settings of the faxd configuration (DESIGN.md §3 "Mail"): the server-wide SMTP relay that received faxes
// and delivery reports go out through, and a line's `routing.email` (the "route through e-mail" method).

import type { ConfigReader } from './config-reader.js';

export interface SmtpConfig {
  readonly host: string;
  readonly port: number;
  /** TLS from the first byte (SMTPS, usually port 465); false: plain, upgraded by STARTTLS when the relay offers it. */
  readonly secure: boolean;
  readonly username: string | null;
  readonly password: string | null;
  /** The From address of every mail faxd sends. */
  readonly from: string;
}

export interface EmailRoutingConfig {
  readonly to: readonly string[];
  /** The subject, with {tsid} {callerId} {csid} {line} {pages} {time} {partial} replaced (reception-mail.ts). */
  readonly subject: string;
  /** Attach the fax as TIFF Class F too (the PDF is always attached). */
  readonly tiff: boolean;
}

/** An address as RFC 5321 writes it in a path: local part, @, domain; no display name, no spaces or brackets. */
const ADDRESS = /^[^\s@<>(),;:"]+@[A-Za-z0-9.-]+$/;
const AN_ADDRESS = 'an e-mail address such as "fax@example.com"';

export const DEFAULT_RECEPTION_SUBJECT = 'Fax from {tsid}, pages: {pages}';

export function readSmtp(reader: ConfigReader): SmtpConfig {
  const secure = reader.boolean('secure', false);
  const smtp: SmtpConfig = {
    host: reader.string('host', undefined),
    port: reader.integer('port', secure ? 465 : 587, 1, 65535),
    secure,
    username: reader.optionalString('username'),
    password: reader.optionalString('password'),
    from: address(reader, 'from'),
  };
  if (smtp.password !== null && smtp.username === null) reader.fail('username', 'is required with a password');
  reader.finish();
  return smtp;
}

export function readEmailRouting(reader: ConfigReader): EmailRoutingConfig {
  const routing: EmailRoutingConfig = {
    to: reader.strings('to', ADDRESS, AN_ADDRESS),
    subject: reader.string('subject', DEFAULT_RECEPTION_SUBJECT),
    tiff: reader.boolean('tiff', false),
  };
  if (routing.to.length === 0) reader.fail('to', `expected at least one address, ${AN_ADDRESS}`);
  reader.finish();
  return routing;
}

function address(reader: ConfigReader, key: string): string {
  const text = reader.string(key, undefined);
  if (!ADDRESS.test(text)) reader.fail(key, `expected ${AN_ADDRESS}, got "${text}"`);
  return text;
}

export interface MailGatewayConfig {
  readonly listen: { readonly host: string; readonly port: number };
  /** Mail to NUMBER@domain becomes a fax to NUMBER. */
  readonly domain: string;
  /** Senders whose mail is taken without SMTP AUTH: an address, or `@domain` for anyone there. */
  readonly allowFrom: readonly string[];
  /** Every sender must authenticate (SMTP AUTH), allowFrom or not. */
  readonly requireAuth: boolean;
  /**
   * AUTH and MAIL only after STARTTLS (RFC 3207 §4: 530/538), so no password and no document crosses the network in
   * clear; needs the top-level `tls` certificate, which STARTTLS offers whenever it is configured.
   */
  readonly requireTls: boolean;
  /**
   * The faxd user whose rights and ownership apply to mail an `allowFrom` entry lets in without SMTP AUTH; required
   * when the server has users (mail-gateway.ts says why). Null: such mail is submitted with the configuration's own
   * standing, as on a server without users.
   */
  readonly submitAs: string | null;
  /** A larger message is refused (552) before it is read to the end. */
  readonly maxMessageMegabytes: number;
  /** Each fax gets the default cover page, its subject the mail's (issue 15). */
  readonly coverPage: boolean;
}

/** Mail servers commonly take up to 25 MB; a fax of more than that is better sent through the API. */
const DEFAULT_MAX_MESSAGE_MEGABYTES = 25;

export function readMailGateway(
  reader: ConfigReader,
  parseListen: (text: string, key: string) => { host: string; port: number },
): MailGatewayConfig {
  const gateway: MailGatewayConfig = {
    listen: parseListen(reader.string('listen', '127.0.0.1:2525'), reader.pathOf('listen')),
    domain: reader.string('domain', undefined).toLowerCase(),
    allowFrom: reader
      .strings('allowFrom', /^([^\s@<>(),;:"]+)?@[A-Za-z0-9.-]+$/, 'an address or "@domain"')
      .map((entry) => entry.toLowerCase()),
    requireAuth: reader.boolean('requireAuth', false),
    requireTls: reader.boolean('requireTls', false),
    submitAs: reader.optionalString('submitAs'),
    maxMessageMegabytes: reader.integer('maxMessageMegabytes', DEFAULT_MAX_MESSAGE_MEGABYTES, 1, 1024),
    coverPage: reader.boolean('coverPage', false),
  };
  if (!/^[a-z0-9.-]+$/.test(gateway.domain)) reader.fail('domain', `expected a domain such as "fax.example.com"`);
  reader.finish();
  return gateway;
}
