import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError } from '../kernel/errors.ts';

/**
 * The one input rule at the edge, run on every request before any route sees it: the body
 * (urlencoded, JSON, multipart text fields), the query string, the path segments and uploaded
 * file names. PostgreSQL refuses a NUL byte in text (the save failed with 500), and other C0
 * control characters are never typed by a person but break exports and logs; Vietnamese typed on
 * some keyboards arrives decomposed (NFD) and would not compare equal to the same word in NFC.
 */

/** JSON nested deeper than this is refused: no form or API body of the app comes near it. */
export const maxInputDepth = 32;

// C0 controls except tab, newline and carriage return, which typed text legitimately holds.
// eslint-disable-next-line no-control-regex
const controlChars = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;

// Keys that would reach Object.prototype through a later merge or assignment downstream.
const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);

/** Why a value breaks the rule, and where (a field path such as `items.0.note`). */
export type InputProblem = { kind: 'control'; field: string } | { kind: 'key'; field: string } | { kind: 'depth'; field: string };

export class InputRuleError extends Error {
  constructor(readonly problem: InputProblem) {
    super(`${problem.kind} at ${problem.field}`);
  }
}

const join = (base: string, key: string) => (base ? `${base}.${key}` : key);

function isPlainRecord(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  // querystring and multer build objects without a prototype; JSON.parse builds plain ones.
  return proto === null || proto === Object.prototype;
}

function cleanString(s: string, field: string): string {
  if (controlChars.test(s)) throw new InputRuleError({ kind: 'control', field });
  return s.normalize('NFC');
}

/**
 * Returns the value with every string (and key) in NFC, or throws an InputRuleError. Walks
 * objects and arrays to `maxInputDepth`; anything else (numbers, booleans, null, buffers) is kept.
 * Never recurses past the limit, so a hostile 100,000-deep array costs 33 frames.
 */
export function cleanInput(value: unknown, field = '', depth = 0): unknown {
  if (typeof value === 'string') return cleanString(value, field || '_');
  if (value === null || typeof value !== 'object') return value;
  const isArray = Array.isArray(value);
  if (!isArray && !isPlainRecord(value)) return value;
  if (depth >= maxInputDepth) throw new InputRuleError({ kind: 'depth', field: field || '_' });
  if (isArray) return value.map((v, i) => cleanInput(v, join(field, String(i)), depth + 1));
  const out: Record<string, unknown> = Object.getPrototypeOf(value) === null ? (Object.create(null) as Record<string, unknown>) : {};
  for (const key of Object.getOwnPropertyNames(value)) {
    const path = join(field, key);
    if (forbiddenKeys.has(key)) throw new InputRuleError({ kind: 'key', field: path });
    const clean = cleanString(key, path);
    out[clean] = cleanInput((value as Record<string, unknown>)[key], join(field, clean), depth + 1);
  }
  return out;
}

/** The error the rule answers with: 422 naming the field for control characters, 400 otherwise. */
export function inputRuleAppError(p: InputProblem): AppError {
  if (p.kind === 'control') return new AppError('INPUT_CONTROL_CHARS', { field: p.field }, { [p.field]: { key: 'v.control_chars' } });
  return new AppError('BAD_REQUEST');
}

/**
 * The path with each segment decoded, checked and put back in NFC. Route params come from it,
 * so this covers them before any router decodes them. Undefined when nothing changes.
 */
function cleanPath(pathname: string): string | undefined {
  let changed = false;
  const segments = pathname.split('/').map((seg, i) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(seg);
    } catch {
      throw new AppError('BAD_REQUEST');
    }
    const clean = cleanString(decoded, `params.${i}`);
    if (clean === decoded) return seg;
    changed = true;
    return encodeURIComponent(clean);
  });
  return changed ? segments.join('/') : undefined;
}

type FileLike = { originalname?: unknown };

function checkFileNames(req: Request): void {
  const files = req.files;
  const list: FileLike[] = [
    ...(req.file ? [req.file as FileLike] : []),
    ...(Array.isArray(files) ? (files as FileLike[]) : files && typeof files === 'object' ? Object.values(files as Record<string, FileLike[]>).flat() : []),
  ];
  for (const f of list) {
    if (typeof f.originalname === 'string') f.originalname = cleanString(f.originalname, 'file');
  }
}

/** The middleware: mounted once, after the body parsers and the multipart reader. */
export function inputRule(): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    try {
      const q = req.url.indexOf('?');
      const pathname = q === -1 ? req.url : req.url.slice(0, q);
      const path = cleanPath(pathname);
      if (path !== undefined) req.url = path + (q === -1 ? '' : req.url.slice(q));
      // Express 5 parses `req.query` from the URL on every read; an own property keeps the clean copy.
      const query = cleanInput(req.query, 'query');
      Object.defineProperty(req, 'query', { value: query, writable: true, configurable: true, enumerable: true });
      if (req.body !== undefined) req.body = cleanInput(req.body);
      checkFileNames(req);
      next();
    } catch (err) {
      next(err instanceof InputRuleError ? inputRuleAppError(err.problem) : err);
    }
  };
}
