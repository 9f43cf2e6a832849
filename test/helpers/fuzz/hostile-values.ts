/**
 * The hostile values the fuzz suite sends. Each has the text a form or a query string carries
 * (a list is the same key repeated, as a form with two inputs of one name posts it) and the raw
 * JSON an API client could send: raw, so that numbers JSON cannot express exactly
 * (`9007199254740993`, `1e309`) reach the server as written.
 */
export interface Hostile {
  name: string;
  /** As a form or query field; absent for the values only JSON can carry (null, true, an object). */
  form?: string | string[];
  json: string;
}

const text = (name: string, value: string): Hostile => ({ name, form: value, json: JSON.stringify(value) });

/** The payloads whose unescaped echo in an HTML answer is a script run in the reader's browser. */
export const scriptPayloads = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>'] as const;
/** What shows the payload unescaped: escaped, `<` and `>` become `&lt;` and `&gt;`. */
export const unescapedMarks = ['<script>alert(1)</script>', 'onerror=alert(1)>'] as const;

export const hostileValues: readonly Hostile[] = [
  text('empty', ''),
  text('10,000 characters', 'x'.repeat(10_000)),
  text('script tag', scriptPayloads[0]),
  text('img onerror', scriptPayloads[1]),
  text('SQL OR', "' OR 1=1 --"),
  text('SQL drop', "'; drop table users; --"),
  text('NUL', 'a\u0000b'),
  // Tab, line feed and carriage return are ordinary in a text area; these are not.
  text('C0 controls', 'a\u0001\u0002\u0007\b\u000b\u000c\u000e\u001b\u001f\u007fb'),
  text('30 February', '2026-02-30'),
  text('2^31 as text', '2147483648'),
  text('2^53+1 as text', '9007199254740993'),
  text('1e309 as text', '1e309'),
  text('-1 as text', '-1'),
  text('NaN as text', 'NaN'),
  { name: 'number 2^31', json: '2147483648' },
  { name: 'number 2^53+1', json: '9007199254740993' },
  { name: 'number 1e309', json: '1e309' },
  { name: 'number -1', json: '-1' },
  { name: 'array', form: ['a', 'b'], json: '["a","b"]' },
  { name: 'object', json: '{"a":"b"}' },
  { name: 'null', json: 'null' },
  { name: 'true', json: 'true' },
  { name: 'object with __proto__', json: '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"isAdmin":true}}}' },
];

/** Values of one client kind: a form or a query cannot carry the JSON-only ones. */
export function valuesFor(kind: 'form' | 'json'): readonly Hostile[] {
  return kind === 'json' ? hostileValues : hostileValues.filter((v) => v.form !== undefined);
}

/** Ids put in the URL in place of a record's own: beyond PostgreSQL's integer, beyond 2^53, not numbers. */
export const hostileIds = ['2147483648', '9007199254740993', '99999999999999999999999', '1e309', '-1', 'NaN'] as const;

/** How a value is shown in a failure message: short enough to read, exact enough to send again. */
export function showValue(v: Hostile): string {
  const raw = v.json.length > 60 ? `${v.json.slice(0, 40)}… (${v.json.length} chars)` : v.json;
  return `${v.name} ${raw}`;
}
