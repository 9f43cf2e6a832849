/**
 * The little XML an .xlsx needs, read with regular expressions over the inflated text: the parts
 * are machine-written, flat, and already bounded in size by the zip reader, so a full XML parser
 * (and its object per node) would only cost memory.
 */
const entities: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeXml(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return entities[e] ?? m;
  });
}

/** The attributes of an opening tag's inside (`name="value"`), prefixes kept (`r:id`). */
export function attrsOf(inside: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of inside.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) out.set(m[1] as string, decodeXml(m[2] ?? m[3] ?? ''));
  return out;
}

/** Every element `<name ...>` or `<p:name ...>` (self-closing or not): its attributes and inner text. */
export function* elements(xml: string, name: string): Generator<{ attrs: string; body: string }> {
  const re = new RegExp(`<((?:[\\w.-]+:)?)${name}(?=[\\s/>])([^>]*?)(?:/>|>([\\s\\S]*?)</\\1${name}>)`, 'g');
  for (const m of xml.matchAll(re)) yield { attrs: m[2] ?? '', body: m[3] ?? '' };
}

/**
 * The text of a shared string or an inline string: its `<t>` runs joined, phonetic guides
 * (`<rPh>`) left out, and Excel's `_xHHHH_` escapes turned back into characters.
 */
export function stringItemText(body: string): string {
  const noPhonetic = body.includes('rPh') ? body.replace(/<((?:[\w.-]+:)?)rPh\b[\s\S]*?<\/\1rPh>/g, '') : body;
  let s = '';
  for (const t of elements(noPhonetic, 't')) s += decodeXml(t.body);
  return s.replace(/_x([0-9A-F]{4})_/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}
