import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import type { Translator } from '../lib/i18n.ts';
import { AppError, errorCatalogue, type ErrorCode } from '../kernel/errors.ts';
import { viewLocals } from './locals.ts';

/** Maps anything thrown to a catalogued error; unknown errors become INTERNAL and are logged. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = err as { type?: string; code?: string; status?: number; statusCode?: number };
  if (e?.code === 'CSRF_INVALID') return new AppError('CSRF_INVALID');
  const status = e?.status ?? e?.statusCode;
  // body-parser's errors carry a `type` and a 4xx status: too many form fields
  // (`parameters.too.many`) and a body over the limit are 413, the rest (malformed JSON, an
  // unknown charset or encoding, an aborted body, nesting past the depth) are the client's 400.
  if (e?.type === 'entity.too.large' || e?.type === 'parameters.too.many' || status === 413) return new AppError('PAYLOAD_TOO_LARGE');
  if (typeof status === 'number' && status >= 400 && status < 500 && (typeof e?.type === 'string' || status === 400)) return new AppError('BAD_REQUEST');
  return new AppError('INTERNAL');
}

export function isApiRequest(req: Request): boolean {
  return req.path.startsWith('/api/');
}

/**
 * The one error page (and the JSON error body of the API): a Vietnamese message from the
 * catalogue and the request id to quote; never a stack trace.
 */
export function errorHandler(translator: Translator, logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const appErr = toAppError(err);
    if (appErr.code === 'INTERNAL') logger.error({ err, reqId: req.id }, 'unhandled error');
    if (res.headersSent) {
      res.end();
      return;
    }
    const locale = req.locale ?? 'vi';
    const message = translator.t(locale, `errors.${appErr.code}`, appErr.params);
    const status = errorCatalogue[appErr.code as ErrorCode];
    if (isApiRequest(req)) {
      const fields = appErr.fields ? Object.fromEntries(Object.entries(appErr.fields).map(([k, v]) => [k, translator.t(locale, v.key, v.params)])) : undefined;
      res.status(status).json({ error: { code: appErr.code, message, fields, requestId: req.id } });
      return;
    }
    // Errors raised before the view locals were set (CSRF, body too large) still get the page.
    if (!res.locals.t) {
      req.locale = locale;
      viewLocals(translator)(req, res, () => undefined);
    }
    res.status(status).render('errors/error', { code: appErr.code, status, message, requestId: req.id }, (renderErr: unknown, html: string) => {
      // Never fall through to Express's default page, which prints the stack trace.
      if (renderErr) {
        logger.error({ err: renderErr, reqId: req.id }, 'error page failed to render');
        res.type('text/plain').send(message);
        return;
      }
      res.send(html);
    });
  };
}
