import type { Request, Response } from 'express';
import { AppError, type FieldErrors } from '../kernel/errors.ts';

/**
 * Runs a form submission. On a validation or rule error the same form is shown again, with
 * what was typed and one message per field, under the error's status (422, or 400); anything
 * else goes to the error handler.
 */
export async function handleForm(
  req: Request,
  res: Response,
  view: string,
  locals: () => Promise<Record<string, unknown>> | Record<string, unknown>,
  action: () => Promise<void>,
): Promise<void> {
  try {
    await action();
  } catch (err) {
    if (err instanceof AppError && (err.fields || err.status === 422 || err.status === 400)) {
      const fields: FieldErrors = err.fields ?? {};
      res.status(err.status).render(view, {
        ...(await locals()),
        values: { ...(req.body as Record<string, unknown>) },
        errors: fields,
        formError: err.fields ? undefined : { code: err.code, params: err.params },
      });
      return;
    }
    throw err;
  }
}

/** Flash-like notice carried in the query string after a redirect (no server state needed). */
export function withNotice(url: string, notice: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}notice=${encodeURIComponent(notice)}`;
}
