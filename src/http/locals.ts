import type { NextFunction, Request, Response } from 'express';
import { isAdmin, scopeFor } from '../auth/roles.ts';
import type { AuditEntity } from '../kernel/audit-words.ts';
import type { Translator } from '../lib/i18n.ts';
import { takeTold } from './context.ts';

/** Day `YYYY-MM-DD` as Vietnamese users write it: `15/12/2026`. */
export function fmtDay(day: string | null | undefined): string {
  if (!day) return '';
  const [y, m, d] = day.slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
}

/** An ISO timestamp shown in Viet Nam time (UTC+7): `15/12/2026 08:30`. */
export function fmtTime(ts: string | null | undefined): string {
  if (!ts) return '';
  const t = new Date(Date.parse(ts) + 7 * 3600_000).toISOString();
  return `${fmtDay(t.slice(0, 10))} ${t.slice(11, 16)}`;
}

/**
 * A percentage as the reader writes it: `58,3%` in Vietnamese (decimal comma), `58.3%` in English;
 * `empty` when there is no figure. The figures come rounded already (one decimal at most).
 */
export function fmtPct(v: number | null | undefined, locale: 'vi' | 'en', empty = '–'): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return empty;
  const text = String(v);
  return `${locale === 'vi' ? text.replace('.', ',') : text}%`;
}

/** A query string from the current one with some keys replaced (for pagination and filters). */
export function queryWith(query: Record<string, unknown>, changes: Record<string, string | number | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...query, ...changes })) {
    if (v !== undefined && v !== '' && typeof v !== 'object') p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** Whether the user may open the audit log at all (administrators, coordinators). */
function readsAuditLog(user: Request['user']): boolean {
  if (!user) return false;
  const scope = scopeFor(user, 'audit.read');
  return scope.all || scope.paths.length > 0;
}

export function viewLocals(translator: Translator) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const t = translator.bind(req.locale);
    let token: string | undefined;
    let readsAudit: boolean | undefined;
    Object.assign(res.locals, {
      t,
      locale: req.locale,
      user: req.user,
      isAdmin: isAdmin(req.user),
      csrf: () => (token ??= req.csrfToken ? req.csrfToken() : ''),
      // Only a notice the app words (`notices.*` of the locale files): the query string is the user's.
      notice:
        typeof req.query.notice === 'string' && /^[a-z_]{1,40}$/.test(req.query.notice) && translator.has(req.locale, `notices.${req.query.notice}`)
          ? req.query.notice
          : undefined,
      // Whom the step just taken was handed on to (after its redirect), shown with the notice.
      told: req.method === 'GET' && !req.path.startsWith('/api/') ? takeTold(req) : [],
      currentPath: req.path,
      // The address with its query (a filter, the setup token), for the language switch to come back to.
      currentUrl: req.originalUrl.length <= 2000 ? req.originalUrl : req.path,
      query: req.query,
      fmtDay,
      fmtTime,
      pct: (v: number | null | undefined, empty?: string) => fmtPct(v, req.locale, empty),
      queryWith,
      // The audit log filtered to one record, for those who may read the log (the log itself
      // keeps to the reader's units, so a link never shows what the page would not).
      historyHref: (entity: AuditEntity, id: number) => {
        readsAudit ??= readsAuditLog(req.user);
        return readsAudit ? `/audit?entity=${entity}&entityId=${id}` : undefined;
      },
      values: {},
      errors: {},
    });
    next();
  };
}
