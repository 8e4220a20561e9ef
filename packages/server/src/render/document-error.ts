// DocumentError: an input document faxd cannot turn into fax pages; the message is meant for the user.

export class DocumentError extends Error {
  override readonly name = 'DocumentError';
}
