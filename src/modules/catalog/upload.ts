import type { NextFunction, Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import type { AppConfig } from '../../config/config.ts';

/** The catalog's upload forms (Excel imports, a form's attached file). */
const uploadPaths = [/^\/units\/\d+\/catalog\/import$/, /^\/tthc\/import$/, /^\/procedures\/\d+\/forms\/\d+\/file$/];

/**
 * Reads a multipart upload into memory before the CSRF check runs, so that the `_csrf` field of
 * the form (placed before the file input) is where the check looks for it, and pages can upload
 * without JavaScript. Only for signed-in users on the paths above. A file over the size limit is
 * not an error here: the route says so next to the form (`res.locals.uploadProblem`).
 */
export function catalogUploads(config: AppConfig): RequestHandler {
  const parse = multer({ storage: multer.memoryStorage(), defParamCharset: 'utf8', limits: { fileSize: config.catalog.uploadMaxBytes, files: 1, fields: 20, parts: 24 } }).single('file');
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST' || !req.user || !req.is('multipart/form-data') || !uploadPaths.some((p) => p.test(req.path))) return next();
    parse(req, res, (err: unknown) => {
      if (err instanceof multer.MulterError) {
        res.locals.uploadProblem = err.code === 'LIMIT_FILE_SIZE' ? 'too_large' : 'bad';
        return next();
      }
      next(err);
    });
  };
}

/** The size limit as people read it (e.g. "5 MB"). */
export function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
