/**
 * What an uploaded file really is, from its extension AND its first bytes. Every area that keeps
 * files people upload (check evidence, procedure form attachments) asks here, so that an HTML
 * page or an SVG drawing saved as `.pdf` or `.png` is refused before it is stored or served back
 * to a browser. A type is only on this list when its bytes can be recognised; active content
 * (HTML, SVG, XML, scripts) never is.
 */
export interface FileType {
  mime: string;
  /** Shown in a page (img) rather than only offered for download. */
  image: boolean;
}

const docx = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const odt = 'application/vnd.oasis.opendocument.text';
const ods = 'application/vnd.oasis.opendocument.spreadsheet';

export const fileTypes: Readonly<Record<string, FileType>> = {
  jpg: { mime: 'image/jpeg', image: true },
  jpeg: { mime: 'image/jpeg', image: true },
  png: { mime: 'image/png', image: true },
  webp: { mime: 'image/webp', image: true },
  pdf: { mime: 'application/pdf', image: false },
  docx: { mime: docx, image: false },
  xlsx: { mime: xlsx, image: false },
  doc: { mime: 'application/msword', image: false },
  xls: { mime: 'application/vnd.ms-excel', image: false },
  odt: { mime: odt, image: false },
  ods: { mime: ods, image: false },
};

const startsWith = (buf: Buffer, bytes: number[], at = 0) => bytes.every((b, i) => buf[at + i] === b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/**
 * docx and xlsx are zip files whose entry names are stored uncompressed in the local headers,
 * so the part folder (`word/`, `xl/`) can be found without unzipping.
 */
function isOfficeZip(buf: Buffer, folder: string): boolean {
  return startsWith(buf, [0x50, 0x4b, 0x03, 0x04]) && buf.includes('[Content_Types].xml') && buf.includes(folder);
}

/**
 * An OpenDocument file is a zip whose first entry, stored uncompressed, is `mimetype` holding
 * the document's type (ODF 1.2, part 3, 3.3): it sits in the first hundred bytes.
 */
function isOpenDocument(buf: Buffer, mime: string): boolean {
  return startsWith(buf, [0x50, 0x4b, 0x03, 0x04]) && startsWith(buf, ascii('mimetype'), 30) && buf.subarray(0, 120).includes(mime);
}

/**
 * Word 97-2003 and Excel 97-2003 files are OLE compound files; the name of their main stream
 * (UTF-16 in the directory) tells which one it is.
 */
function isOle(buf: Buffer, ...streams: string[]): boolean {
  return startsWith(buf, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) && streams.some((s) => buf.includes(Buffer.from(s, 'utf16le')));
}

/** Whether the bytes are what the extension says. */
export function contentMatches(ext: string, buf: Buffer): boolean {
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
    case 'doc':
      return isOle(buf, 'WordDocument');
    case 'xls':
      return isOle(buf, 'Workbook', 'Book');
    case 'odt':
      return isOpenDocument(buf, odt);
    case 'ods':
      return isOpenDocument(buf, ods);
    default:
      return false;
  }
}

/** The extension of a file name, lower case, without the dot ('' when there is none). */
export function extensionOf(name: string): string {
  const m = /\.([A-Za-z0-9]{1,8})$/.exec(name.trim());
  return m ? m[1]!.toLowerCase() : '';
}

/** Why a file is refused: its extension is not allowed here, it is empty, or its bytes are something else. */
export type SniffRefusal = 'type' | 'empty' | 'mismatch';

/**
 * The type of a file among the extensions `allowed`, by its name and its first bytes (both must
 * agree), or why it is refused. The browser's claimed type is never asked.
 */
export function sniffFile(name: string, buf: Buffer, allowed: readonly string[]): { type: FileType; ext: string } | { refused: SniffRefusal } {
  const ext = extensionOf(name);
  const type = allowed.includes(ext) ? fileTypes[ext] : undefined;
  if (!type) return { refused: 'type' };
  if (buf.length === 0) return { refused: 'empty' };
  if (!contentMatches(ext, buf)) return { refused: 'mismatch' };
  return { type, ext };
}
