import type { RunKind, RunStatus, RunView } from './scheduler.types.ts';
import type { Db } from '../../kernel/db.ts';

const num = (v: unknown): number | null => (v == null ? null : Number(v));

function toRun(r: Record<string, unknown>): RunView {
  return {
    id: Number(r.id),
    jobId: String(r.job_id),
    scheduledFor: String(r.scheduled_for),
    kind: r.kind as RunKind,
    status: r.status as RunStatus,
    claimedBy: String(r.claimed_by),
    requestedBy: num(r.requested_by),
    startedAt: String(r.started_at),
    finishedAt: (r.finished_at as string | null) ?? null,
    durationMs: num(r.duration_ms),
    found: num(r.found),
    delivered: num(r.delivered),
    duplicates: num(r.duplicates),
    error: (r.error as string | null) ?? null,
  };
}

/**
 * Claims a run: the insert succeeds for exactly one process per (job, slot, kind), whatever the
 * number of processes on the database, and the others get undefined and skip the slot.
 */
export async function claim(
  db: Db,
  c: { jobId: string; scheduledFor: string; kind: RunKind; by: string; requestedBy?: number; at: string },
): Promise<number | undefined> {
  const rows = (await db('scheduler_runs')
    .insert({
      job_id: c.jobId,
      scheduled_for: c.scheduledFor,
      kind: c.kind,
      status: 'running',
      claimed_by: c.by,
      requested_by: c.requestedBy ?? null,
      started_at: c.at,
      created_at: c.at,
      updated_at: c.at,
    })
    .onConflict(['job_id', 'scheduled_for', 'kind'])
    .ignore()
    .returning('id')) as Array<{ id: number } | number>;
  const first = rows[0];
  if (first === undefined) return undefined;
  return typeof first === 'number' ? first : Number(first.id);
}

/** The latest slot claimed for each job (by any process). */
export async function lastSlots(db: Db): Promise<Map<string, string>> {
  const rows = (await db('scheduler_runs').where('kind', 'slot').groupBy('job_id').select('job_id').max({ last: 'scheduled_for' })) as Array<{
    job_id: string;
    last: string;
  }>;
  return new Map(rows.map((r) => [String(r.job_id), String(r.last)]));
}

export async function finish(
  db: Db,
  id: number,
  r: { status: RunStatus; at: string; durationMs: number; found?: number; delivered?: number; duplicates?: number; error?: string | null },
): Promise<void> {
  await db('scheduler_runs')
    .where('id', id)
    .update({
      status: r.status,
      finished_at: r.at,
      duration_ms: Math.round(r.durationMs),
      found: r.found ?? null,
      delivered: r.delivered ?? null,
      duplicates: r.duplicates ?? null,
      error: r.error ? r.error.slice(0, 4000) : null,
      updated_at: r.at,
    });
}

/** Runs still "running" since before `startedBefore`: their process stopped mid-run. */
export async function abandonStale(db: Db, startedBefore: string, at: string, message: string): Promise<number> {
  return db('scheduler_runs')
    .where('status', 'running')
    .where('started_at', '<', startedBefore)
    .update({ status: 'failed', finished_at: at, error: message, updated_at: at });
}

export async function findRun(db: Db, id: number): Promise<RunView | undefined> {
  const row = (await db('scheduler_runs').where('id', id).first()) as Record<string, unknown> | undefined;
  return row ? toRun(row) : undefined;
}

/** The latest runs of each job, newest first (one small indexed query per job). */
export async function recentRuns(db: Db, jobIds: string[], limit: number): Promise<Map<string, RunView[]>> {
  const out = new Map<string, RunView[]>();
  for (const jobId of jobIds) {
    const rows = (await db('scheduler_runs').where('job_id', jobId).orderBy('scheduled_for', 'desc').orderBy('id', 'desc').limit(limit)) as Array<
      Record<string, unknown>
    >;
    out.set(jobId, rows.map(toRun));
  }
  return out;
}

/** All runs of a job, oldest first (tests and the bench read the whole ledger). */
export async function runsOf(db: Db, jobId: string): Promise<RunView[]> {
  const rows = (await db('scheduler_runs').where('job_id', jobId).orderBy('scheduled_for').orderBy('id')) as Array<Record<string, unknown>>;
  return rows.map(toRun);
}
