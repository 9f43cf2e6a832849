import type request from 'supertest';
import type { Agent } from '../app.ts';
import type { Method, Upload } from '../../fixtures/http.ts';
import { unescapedMarks, type Hostile } from './hostile-values.ts';

/** How the route's client sends its fields. */
export type Channel = 'query' | 'form' | 'multipart' | 'json';

/** A field as sent: a value of the route's own valid body, or a hostile one. */
export type FieldValue = { plain: unknown } | { hostile: Hostile };
export type Fields = Array<[string, FieldValue]>;

export interface FuzzRequest {
  method: Method;
  /** The path with its ids filled in (and the query the route's row carries). */
  url: string;
  channel: Channel;
  fields: Fields;
  csrf: string;
  file?: Upload;
  /** A body sent as it is, for what no client would write (a multipart body cut short, broken JSON). */
  raw?: { type: string; body: string };
}

/** A form field's texts: a list is the key repeated; an object travels as its JSON. */
function formTexts(v: FieldValue): string[] {
  if ('hostile' in v) return typeof v.hostile.form === 'string' ? [v.hostile.form] : [...(v.hostile.form ?? [])];
  const p = v.plain;
  if (p === null || p === undefined) return [''];
  if (Array.isArray(p)) return p.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x)));
  return [typeof p === 'object' ? JSON.stringify(p) : String(p as string | number | boolean)];
}

const rawJson = (v: FieldValue): string => ('hostile' in v ? v.hostile.json : JSON.stringify(v.plain ?? null));

/**
 * The JSON body written by hand: a `__proto__` key stays a key (an object literal would set the
 * prototype instead), and numbers like `1e309` reach the parser as written.
 */
export function jsonText(fields: Fields): string {
  return `{${fields.map(([k, v]) => `${JSON.stringify(k)}:${rawJson(v)}`).join(',')}}`;
}

export function urlEncoded(fields: Fields): string {
  return fields.flatMap(([k, v]) => formTexts(v).map((t) => `${encodeURIComponent(k)}=${encodeURIComponent(t)}`)).join('&');
}

/** The fields a URL's query already carries, as plain values. */
export function queryFields(url: string): { path: string; fields: Fields } {
  const at = url.indexOf('?');
  if (at < 0) return { path: url, fields: [] };
  return { path: url.slice(0, at), fields: [...new URLSearchParams(url.slice(at + 1))].map(([k, v]) => [k, { plain: v }]) };
}

/** Sends the request as its client would, the CSRF token where that client puts it. */
export function sendFuzz(agent: Agent, r: FuzzRequest): request.Test {
  const api = r.url.startsWith('/api/');
  const verb = r.method.toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete';
  const call = (u: string) => (agent as unknown as Record<typeof verb, (u: string) => request.Test>)[verb](u).redirects(0);
  if (r.channel === 'query') {
    const { path, fields } = queryFields(r.url);
    const qs = urlEncoded([...fields.filter(([k]) => !r.fields.some(([f]) => f === k)), ...r.fields]);
    return call(qs ? `${path}?${qs}` : path);
  }
  let req = call(r.url);
  if (api) req = req.set('x-csrf-token', r.csrf);
  if (r.raw) return req.set('content-type', r.raw.type).send(r.raw.body);
  if (r.channel === 'json') return req.set('content-type', 'application/json').send(jsonText(r.fields));
  if (r.channel === 'form') return req.type('form').send(urlEncoded([...r.fields, ['_csrf', { plain: r.csrf }]]));
  // Multipart: the token first, as the page's form has it, then the text fields, then the file.
  if (!api) req = req.field('_csrf', r.csrf);
  for (const [k, v] of r.fields) for (const t of formTexts(v)) req = req.field(k, t);
  return r.file ? req.attach('file', r.file.content, r.file.name) : req;
}

/** What is wrong with an answer: a server error, or a script payload written into HTML unescaped. */
export function answerProblem(res: request.Response): string | undefined {
  if (res.status >= 500) return `answered ${res.status}`;
  const type = String(res.headers['content-type'] ?? '');
  if (type.includes('html')) {
    const mark = unescapedMarks.find((m) => res.text.includes(m));
    if (mark) return `answered ${res.status} with "${mark}" unescaped in the HTML`;
  }
  return undefined;
}
