// The console's signed-in sessions (issue 13 item 1): a random id in an HttpOnly cookie, kept here only as its
// SHA-256, so a dump of this map gives no cookie to replay. Each session carries a CSRF token that the console reads
// from a second, readable cookie and sends back in a header (double submit, bound to the session): a page elsewhere
// can make the browser send the cookie but cannot read the token. Sessions live in this process's memory: a restart
// signs everyone out, which for a console is a fair price for keeping nothing more on disk. Whatever a session keeps
// open (its event streams) is told when it ends: signed out, or expired.

import { createHash, randomBytes } from 'node:crypto';
import { constantTimeEqual } from './api-keys.js';

/** The HttpOnly cookie holding the session id. */
export const SESSION_COOKIE = 'faxd_session';
/** The readable cookie holding the session's CSRF token. */
export const CSRF_COOKIE = 'faxd_csrf';
/** The header a cookie-authenticated request other than GET/HEAD must carry the CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';
/** A session ends this long after sign-in, whatever it did since (a working day and some). */
export const SESSION_SECONDS = 12 * 60 * 60;

interface Session {
  readonly userId: number;
  readonly csrf: string;
  /** ms since the epoch. */
  readonly expiresAt: number;
}

/** What the client gets when a user signs in: the cookie values, once. */
export interface NewSession {
  readonly id: string;
  readonly csrf: string;
}

const hashOf = (id: string) => createHash('sha256').update(id).digest('hex');

export class ConsoleSessions {
  readonly #sessions = new Map<string, Session>();
  /** What to tell when a session ends, by the session's hash, and the timer that ends it when it expires. */
  readonly #onEnd = new Map<string, { readonly watchers: Set<() => void>; readonly expiry: NodeJS.Timeout }>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  open(userId: number): NewSession {
    this.#sweep();
    const id = randomBytes(32).toString('base64url');
    const csrf = randomBytes(32).toString('base64url');
    this.#sessions.set(hashOf(id), { userId, csrf, expiresAt: this.#now() + SESSION_SECONDS * 1000 });
    return { id, csrf };
  }

  /** The session `id` names, unless it is unknown, ended or expired. */
  find(id: string): { readonly userId: number; csrfMatches(token: string | undefined): boolean } | undefined {
    const hash = hashOf(id);
    const session = this.#sessions.get(hash);
    if (!session) return undefined;
    if (session.expiresAt <= this.#now()) {
      this.#end(hash);
      return undefined;
    }
    return {
      userId: session.userId,
      csrfMatches: (token) => token !== undefined && constantTimeEqual(token, session.csrf),
    };
  }

  close(id: string): void {
    this.#end(hashOf(id));
  }

  /**
   * Calls `onEnd` once when session `id` ends, signed out or expired (at once if it has already); returns the function
   * that stops watching. A watched session is ended by a timer when it expires, as no request may look it up.
   */
  whenEnded(id: string, onEnd: () => void): () => void {
    const hash = hashOf(id);
    const session = this.#sessions.get(hash);
    if (!session || session.expiresAt <= this.#now()) {
      this.#end(hash);
      onEnd();
      return () => {};
    }
    let watched = this.#onEnd.get(hash);
    if (!watched) {
      const expiry = setTimeout(() => this.#end(hash), session.expiresAt - this.#now());
      expiry.unref();
      watched = { watchers: new Set(), expiry };
      this.#onEnd.set(hash, watched);
    }
    const { watchers, expiry } = watched;
    watchers.add(onEnd);
    return () => {
      watchers.delete(onEnd);
      if (watchers.size > 0 || this.#onEnd.get(hash)?.watchers !== watchers) return;
      clearTimeout(expiry);
      this.#onEnd.delete(hash);
    };
  }

  #end(hash: string): void {
    this.#sessions.delete(hash);
    const watched = this.#onEnd.get(hash);
    if (!watched) return;
    this.#onEnd.delete(hash);
    clearTimeout(watched.expiry);
    for (const onEnd of watched.watchers) onEnd();
  }

  /** Drops expired sessions, so that the map holds only live ones however many sign in and never sign out. */
  #sweep(): void {
    const now = this.#now();
    for (const [hash, session] of this.#sessions) if (session.expiresAt <= now) this.#end(hash);
  }
}

/** The value of cookie `name` in a Cookie header, if present. */
export function cookieOf(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}
