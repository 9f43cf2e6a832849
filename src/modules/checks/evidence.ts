/**
 * What an evidence file of a check may be: a short allow-list of types, each recognised by its
 * extension AND its first bytes, so that a renamed executable or an HTML page saved as `.jpg` is
 * refused before it is ever stored or served back to a browser.
 */
export interface EvidenceType {
  mime: string;
  /** Shown in the page (img) rather than only offered as a link. */
  image: boolean;
}

const docx = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const evidenceTypes: Record<string, EvidenceType> = {
  jpg: { mime: 'image/jpeg', image: true },
  jpeg: { mime: 'image/jpeg', image: true },
  png: { mime: 'image/png', image: true },
  webp: { mime: 'image/webp', image: true },
  pdf: { mime: 'application/pdf', image: false },
  docx: { mime: docx, image: false },
  xlsx: { mime: xlsx, image: false },
};

/** The accept attribute of the file inputs. */
export const evidenceAccept = '.jpg,.jpeg,.png,.webp,.pdf,.docx,.xlsx';

const startsWith = (buf: Buffer, bytes: number[], at = 0) => bytes.every((b, i) => buf[at + i] === b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/**
 * docx and xlsx are zip files whose entry names are stored uncompressed in the local headers,
 * so the part folder (`word/`, `xl/`) can be found without unzipping.
 */
function isOfficeZip(buf: Buffer, folder: string): boolean {
  return startsWith(buf, [0x50, 0x4b, 0x03, 0x04]) && buf.includes('[Content_Types].xml') && buf.includes(folder);
}

function contentMatches(ext: string, buf: Buffer): boolean {
  switch (ext) {
    case 'jpg':
    case 'jpeg':
      return startsWith(buf, [0xff, 0xd8, 0xff]);
    case 'png':
      return startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    case 'webp':
      return startsWith(buf, ascii('RIFF')) && startsWith(buf, ascii('WEBP'), 8);
    case 'pdf':
      return startsWith(buf, ascii('%PDF-'));
    case 'docx':
      return isOfficeZip(buf, 'word/');
    case 'xlsx':
      return isOfficeZip(buf, 'xl/');
    default:
      return false;
  }
}

export function extensionOf(name: string): string {
  const m = /\.([A-Za-z0-9]{1,8})$/.exec(name.trim());
  return m ? m[1]!.toLowerCase() : '';
}

/**
 * The type of an uploaded file, or the message key of why it is refused: not on the list
 * (`v.check_file_type`), empty (`v.check_file_empty`), or content that is not what the
 * extension says (`v.check_file_mismatch`).
 */
export function evidenceTypeOf(name: string, buf: Buffer): { type: EvidenceType } | { error: string } {
  const ext = extensionOf(name);
  const type = evidenceTypes[ext];
  if (!type) return { error: 'v.check_file_type' };
  if (buf.length === 0) return { error: 'v.check_file_empty' };
  if (!contentMatches(ext, buf)) return { error: 'v.check_file_mismatch' };
  return { type };
}

/** A file name safe to store and to send back in a header. */
export function cleanFileName(name: string): string {
  // Control characters, quotes and path separators never reach a header or a path.
  const safe = [...name.normalize('NFC')].map((c) => (c.charCodeAt(0) < 32 || c === '"' || c === '/' || c === '\\' ? '_' : c)).join('');
  return safe.trim().slice(-200) || 'tep';
}

/** `Content-Disposition` for a stored name (RFC 6266, with a plain ASCII fallback). */
export function dispositionOf(kind: 'inline' | 'attachment', name: string): string {
  const fallback = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
