// What makes a mailed message too broken to fax, found before it is parsed: mailparser reads any bytes into some
// message, so a multipart message cut short (RFC 2046 §5.1.1: every body part ends at a delimiter, the last at the
// close-delimiter) would otherwise be faxed as whatever parts happened to arrive.

/** The top-level header `name` (lower case) of the message, unfolded (RFC 5322 §2.2.3); undefined when absent. */
function header(raw: Buffer, name: string): string | undefined {
  const text = raw.subarray(0, Math.min(raw.length, 256 * 1024)).toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const head = (end < 0 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name}:`));
  return line?.slice(name.length + 1).trim();
}

/** Why the message is not well-formed MIME, in words; undefined when it is (as far as faxing it is concerned). */
export function messageProblem(raw: Buffer): string | undefined {
  const type = header(raw, 'content-type');
  if (type === undefined || !/^multipart\//i.test(type)) return undefined;
  const boundary = /boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))/i.exec(type);
  const delimiter = boundary?.[1] ?? boundary?.[2];
  if (!delimiter) return 'a multipart message without a boundary';
  const body = raw.toString('latin1');
  if (!body.includes(`\n--${delimiter}`)) return 'a multipart message with no part';
  if (!body.includes(`\n--${delimiter}--`)) return 'a multipart message cut short (it never closes its parts)';
  return undefined;
}
