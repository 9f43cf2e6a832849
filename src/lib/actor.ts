import type { SessionUser } from '../auth/roles.ts';

/** Who asks: the signed-in user (by session or API token) and the request id for the audit log. */
export interface Actor {
  user: SessionUser;
  requestId?: string;
}
