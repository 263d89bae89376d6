// The token a `hindsight dap --port` server requires in launch / attach: generated when not given, and
// compared in constant time, so that a local web page or another user's process cannot start programs.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Who may launch or attach on a connection: anyone (stdio: the client started the server) or a token holder. */
export type Admission = 'open' | { token: string };

export function newToken(): string {
  return randomBytes(16).toString('hex');
}

/** Whether `given` (a request argument, of any type) is the token; digests first, so lengths do not leak either. */
export function tokenMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(expected), digest(given));
}
