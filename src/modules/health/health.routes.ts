import { Router } from 'express';
import type { Knex } from 'knex';

/** 200 when the database answers within two seconds, 503 otherwise. No session, no auth. */
export function healthRoutes(db: Knex): Router {
  const r = Router();
  r.get('/healthz', async (_req, res) => {
    try {
      await Promise.race([db.raw('select 1'), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref())]);
      res.status(200).json({ status: 'ok', database: 'up' });
    } catch {
      res.status(503).json({ status: 'unavailable', database: 'down' });
    }
  });
  return r;
}
