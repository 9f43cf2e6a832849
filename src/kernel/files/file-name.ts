/**
 * The one place a file name someone uploaded is made safe to store, to show in a page and to
 * send back in a `Content-Disposition` header. Every area that keeps uploaded files uses it.
 */

// Bidirectional controls (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI, LRM, RLM, ALM) make
// "hoa-don\u202Efdp.exe" read as "hoa-donexe.pdf": a name must show what the file is, so they
// go. C0 controls and DEL never belong in a name or a header.
// eslint-disable-next-line no-control-regex
const invisible = /[\u0000-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]/g;

/** A stored file name: NFC, no direction marks or control characters, no path or quote, at most `max` characters. */
export function cleanFileName(name: string, max = 200): string {
  const safe = name
    .normalize('NFC')
    .replace(invisible, '')
    .replace(/["/\\]/g, '_')
    .trim();
  // The tail is kept when cutting, so the extension (what the file is) survives.
  return [...safe].slice(-max).join('').trim() || 'tep';
}

/** `Content-Disposition` for a stored name (RFC 6266, with a plain ASCII fallback). */
export function dispositionOf(kind: 'inline' | 'attachment', name: string): string {
  const fallback = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\%]/g, '_');
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
