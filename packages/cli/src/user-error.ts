// UserError: a problem the person at the keyboard can fix; printed as "<command>: <message>" with exit status 1.

export class UserError extends Error {
  override readonly name = 'UserError';
}
