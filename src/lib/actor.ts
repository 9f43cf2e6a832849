import type { SessionUser } from '../auth/roles.ts';

/** Who asks: the signed-in user (by session or API token) and the request id for the audit log. */
export interface Actor {
  user: SessionUser;
  requestId?: string;
  /** Hears the names of the people a step just taken was handed on to (for the page's message). */
  told?: (names: string[]) => void;
}
