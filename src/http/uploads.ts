import type { NextFunction, Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { AppError } from '../kernel/errors.ts';

/** A form that uploads files: where it posts, and its limits. */
export interface UploadForm {
  path: RegExp;
  maxBytes: number;
  /** Files in one request (1 unless said). */
  files?: number;
}

/**
 * Reads a multipart upload into memory before the CSRF check runs, so that the `_csrf` field of
 * the form (placed before the file input) is where the check looks for it, and pages can upload
 * without JavaScript. Only for signed-in users on the listed forms. A file over the size limit is
 * not an error here: the route says so next to the form (`res.locals.uploadProblem` is
 * `too_large`). A body that cannot be read is `UPLOAD_MALFORMED` (400). Files arrive in
 * `req.file` (one) or `req.files` (several), field name `file`.
 */
export function uploadsBeforeCsrf(forms: UploadForm[]): RequestHandler {
  const parsers = forms.map((f) => ({
    path: f.path,
    parse:
      (f.files ?? 1) > 1
        ? multer({
            storage: multer.memoryStorage(),
            defParamCharset: 'utf8',
            limits: { fileSize: f.maxBytes, files: f.files, fields: 40, parts: 40 + (f.files ?? 1) },
          }).array('file', f.files)
        : multer({ storage: multer.memoryStorage(), defParamCharset: 'utf8', limits: { fileSize: f.maxBytes, files: 1, fields: 20, parts: 24 } }).single(
            'file',
          ),
  }));
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST' || !req.user || !req.is('multipart/form-data')) return next();
    const form = parsers.find((p) => p.path.test(req.path));
    if (!form) return next();
    form.parse(req, res, (err: unknown) => {
      if (!err) return next();
      if (err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE') {
        res.locals.uploadProblem = 'too_large';
        return next();
      }
      // Anything else is a body that cannot be read as the form sent it: busboy's own errors
      // ("Unexpected end of form", "Malformed part header", "Multipart: Boundary not found", a
      // NUL in a header), a client gone half-way, or multer's limits (a second file in the one
      // file field, too many parts). It is the client's 400, raised before the CSRF check
      // because the body, `_csrf` included, is not trustworthy. Files are read into memory and
      // only stored by the route, so nothing half-read is ever kept.
      req.file = undefined;
      req.files = undefined;
      next(new AppError('UPLOAD_MALFORMED'));
    });
  };
}

/** The size limit as people read it (e.g. "5 MB"). */
export function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
