// The "route through e-mail" method (Windows Fax Service's Microsoft Routing Extension: "Route through e-mail"): a
// received fax as a mail to the line's routing.email addresses, the fax as a PDF attachment (and TIFF Class F when
// asked), the body listing what the call told about it.

import type { Selectable } from 'kysely';
import type { EmailRoutingConfig, LineConfig } from '../config/faxd-config.js';
import type { DataFiles } from '../service/data-files.js';
import type { InboxTable } from '../store/schema.js';
import type { MailAttachment, MailToSend } from './mail-message.js';

type InboxRow = Selectable<InboxTable>;

/** The values a reception's subject template may name, in braces: `Fax from {tsid} ({pages} pages)`. */
function receptionFields(line: LineConfig, message: InboxRow): Record<string, string> {
  return {
    tsid: message.tsid || 'an unidentified sender',
    callerId: message.caller_id || 'unknown',
    csid: message.csid,
    line: line.name,
    pages: String(message.pages),
    time: message.received_at,
    partial: message.partial === 1 ? 'partial' : 'complete',
  };
}

/** `template` with each `{field}` replaced; an unknown field stays as written, so a typo shows in the subject. */
export function fillTemplate(template: string, fields: Readonly<Record<string, string>>): string {
  return template.replace(/\{([A-Za-z]+)\}/g, (whole, name: string) => fields[name] ?? whole);
}

/** The mail for `message`, received on `line` whose routing is `email`. */
export function receptionMail(line: LineConfig, email: EmailRoutingConfig, message: InboxRow, files: DataFiles) {
  const fields = receptionFields(line, message);
  const body = [
    `A fax was received on ${line.name} (line ${line.id}).`,
    '',
    `Sender's fax ident (TSID): ${message.tsid || '(none sent)'}`,
    `Caller id:                 ${message.caller_id || '(none)'}`,
    `Received as (CSID):        ${message.csid || '(none)'}`,
    `Line:                      ${line.name} (${line.id})`,
    `Pages:                     ${message.pages}`,
    `Received at:               ${message.received_at}`,
    `Partial:                   ${message.partial === 1 ? 'yes: the call ended before the sender finished' : 'no'}`,
    ...(message.bad_rows > 0 ? [`Damaged rows:              ${message.bad_rows}`] : []),
    '',
    `The fax is attached as PDF${email.tiff ? ' and as TIFF' : ''}; it is message ${message.id} in faxd's inbox.`,
    '',
  ].join('\n');
  const attachments: MailAttachment[] = [
    { filename: `fax-${message.id}.pdf`, contentType: 'application/pdf', path: files.inboxFax(message.id, 'pdf') },
  ];
  if (email.tiff) {
    attachments.push({
      filename: `fax-${message.id}.tif`,
      contentType: 'image/tiff',
      path: files.inboxFax(message.id, 'tif'),
    });
  }
  const mail: MailToSend = {
    kind: 'reception',
    sourceId: message.id,
    to: email.to,
    subject: fillTemplate(email.subject, fields),
    body,
    attachments,
  };
  return mail;
}
