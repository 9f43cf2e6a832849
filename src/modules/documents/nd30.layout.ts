import fs from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { DocumentBlock, DocumentContent } from '../../plugins/contract.ts';

/**
 * The administrative document layout of NĐ 30/2020/NĐ-CP: A4, margins top and bottom 20 mm, left
 * 30 mm, right 15 mm; Tinos (Times New Roman metrics, every Vietnamese letter); the two-column
 * header with its short rules; the number; the italic place-and-date line; centred type and
 * subject; justified body with first-line indents; signature block; `Nơi nhận:`; page numbers
 * centred at the top from page 2; annex tables that repeat their header row and never split a row.
 */
const mm = 72 / 25.4;
export const margins = { top: 20 * mm, bottom: 20 * mm, left: 30 * mm, right: 15 * mm };
const bodySize = 14;
const indent = 10 * mm;

type Face = 'regular' | 'bold' | 'italic' | 'boldItalic';
const faceFiles: Record<Face, string> = {
  regular: '400Regular/Tinos_400Regular.ttf',
  bold: '700Bold/Tinos_700Bold.ttf',
  italic: '400Regular_Italic/Tinos_400Regular_Italic.ttf',
  boldItalic: '700Bold_Italic/Tinos_700Bold_Italic.ttf',
};
let fonts: Record<Face, Buffer> | undefined;

/** Read once per process: reading the four files for every document costs more than drawing it. */
function loadFonts(): Record<Face, Buffer> {
  if (!fonts) {
    const req = createRequire(import.meta.url);
    const read = (p: string) => fs.readFileSync(req.resolve(`@expo-google-fonts/tinos/${p}`));
    fonts = { regular: read(faceFiles.regular), bold: read(faceFiles.bold), italic: read(faceFiles.italic), boldItalic: read(faceFiles.boldItalic) };
  }
  return fonts;
}

interface GlyphFont {
  hasGlyphForCodePoint(cp: number): boolean;
  glyphForCodePoint(cp: number): unknown;
  characterSet: number[];
}
let parsed: Map<Face, GlyphFont> | undefined;

/**
 * The fontkit fonts behind pdfkit, parsed once and handed to every document: pdfkit takes a parsed
 * font as well as a file, and parsing the four faces again for each document (and warming their
 * glyph caches) cost several times the drawing itself. Also asked which characters they can draw.
 */
function glyphFonts(): Map<Face, GlyphFont> {
  if (!parsed) {
    const probe = new PDFDocument({ autoFirstPage: false });
    const out = new Map<Face, GlyphFont>();
    for (const face of Object.keys(faceFiles) as Face[]) {
      probe.registerFont(face, loadFonts()[face]);
      probe.font(face);
      // pdfkit keeps the fontkit font of the current face here (not in its typings).
      const font = (probe as unknown as { _font: { font: GlyphFont } })._font.font;
      // fontkit caches a glyph with the characters it was first made for, and the PDF's text
      // layer (copy, search, pdftotext) comes from them. Made first as a part of another glyph
      // (ơ inside ở, when one document's subset was written), it has none, and the next document
      // would print `cương` that reads back as `cư ng`. So every glyph is made from its character first.
      for (const cp of font.characterSet) font.glyphForCodePoint(cp);
      out.set(face, font);
    }
    parsed = out;
  }
  return parsed;
}

/** Shaped words by face, shared by every document (see shareLayoutCache). */
const layoutCaches = new Map<Face, Record<string, unknown>>();
const layoutCacheLimit = 50_000;

/**
 * pdfkit shapes each word once per document and font (OpenType lookups: most of the drawing
 * time) and keeps the result in the font object's `layoutCache`. The shaped run depends only on
 * the word and the face, never on the document or the size, so one cache per face serves every
 * document; it is emptied when it grows past a bound (codes and numbers are endless).
 */
function shareLayoutCache(doc: PDFKit.PDFDocument, face: Face): void {
  doc.font(face);
  const font = (doc as unknown as { _font?: { layoutCache?: Record<string, unknown> } })._font;
  if (!font || !font.layoutCache) return;
  let cache = layoutCaches.get(face);
  if (!cache || Object.keys(cache).length > layoutCacheLimit) {
    cache = Object.create(null) as Record<string, unknown>;
    layoutCaches.set(face, cache);
  }
  font.layoutCache = cache;
}

/** Every string the document prints, for the glyph check. */
function textsOf(c: DocumentContent): string[] {
  const blocks = (bs: DocumentBlock[]) =>
    bs.flatMap((b) => (b.kind === 'table' ? [...b.columns.map((x) => x.header), ...b.rows.flat()] : [b.text, b.kind === 'paragraph' ? (b.lead ?? '') : '']));
  return [
    c.typeTitle,
    c.subject,
    c.authority ?? '',
    ...blocks(c.body),
    c.signer.onBehalf ?? '',
    c.signer.title,
    c.signer.name,
    ...c.recipients,
    ...(c.annex ? [c.annex.title, c.annex.subtitle ?? '', ...blocks(c.annex.blocks)] : []),
  ];
}

/** The characters (once each, in order) that one of the faces cannot draw; empty when all can. */
export function missingGlyphs(texts: string[]): string[] {
  const faces = [...glyphFonts().values()];
  const out = new Set<string>();
  for (const t of texts) {
    for (const ch of t.normalize('NFC')) {
      const cp = ch.codePointAt(0)!;
      if (cp === 10 || cp === 13 || cp === 9) continue;
      if (!faces.every((f) => f.hasGlyphForCodePoint(cp))) out.add(ch);
    }
  }
  return [...out];
}

export interface Letterhead {
  parentBody: string | null;
  issuingBody: string;
  /** `05/QĐ-UBND`. */
  number: string;
  /** `Nam Dong, ngày 15 tháng 12 năm 2026`. */
  placeDate: string;
}

export interface RenderOptions {
  /** The PDF's creation date: the issue time for an issued document, so its bytes never vary. */
  createdAt: Date;
  title: string;
  author: string;
}

type Doc = PDFKit.PDFDocument;
const width = (doc: Doc) => doc.page.width - margins.left - margins.right;
const bottom = (doc: Doc) => doc.page.height - margins.bottom;

/** A short centred rule under a line of text, as NĐ 30 draws under the issuing body and the motto. */
function rule(doc: Doc, centre: number, y: number, length: number): void {
  doc
    .moveTo(centre - length / 2, y)
    .lineTo(centre + length / 2, y)
    .lineWidth(0.6)
    .stroke();
}

function letterhead(doc: Doc, h: Letterhead): void {
  const w = width(doc);
  const leftW = w * 0.4;
  const rightW = w - leftW;
  const x0 = margins.left;
  const x1 = margins.left + leftW;
  const top = margins.top;
  // Left column: parent body (plain capitals), issuing body (bold capitals) with a rule, number.
  doc.y = top;
  // Too long for one line: the parent body is abbreviated as usual (UBND HUYỆN ...), the issuing
  // body breaks after ỦY BAN NHÂN DÂN rather than wherever the width runs out.
  const committee = 'ỦY BAN NHÂN DÂN ';
  if (h.parentBody) {
    let parent = h.parentBody.toUpperCase();
    if (doc.font('regular').fontSize(13).widthOfString(parent) > leftW && parent.startsWith(committee)) parent = `UBND ${parent.slice(committee.length)}`;
    doc.font('regular').fontSize(13).text(parent, x0, top, { width: leftW, align: 'center' });
  }
  let issuing = h.issuingBody.toUpperCase();
  if (doc.font('bold').fontSize(13).widthOfString(issuing) > leftW && issuing.startsWith(committee))
    issuing = `${committee.trim()}\n${issuing.slice(committee.length)}`;
  doc.font('bold').fontSize(13).text(issuing, x0, doc.y, { width: leftW, align: 'center' });
  const bodyWidth = Math.min(Math.max(...issuing.split('\n').map((l) => doc.widthOfString(l))), leftW);
  const leftRule = doc.y + 2;
  rule(doc, x0 + leftW / 2, leftRule, bodyWidth / 2.5);
  doc
    .font('regular')
    .fontSize(13)
    .text(`Số: ${h.number}`, x0, leftRule + 8, { width: leftW, align: 'center' });
  const leftEnd = doc.y;
  // Right column: national title, motto ruled under its full length, then the place and date.
  doc.font('bold').fontSize(12).text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', x1, top, { width: rightW, align: 'center' });
  doc.font('bold').fontSize(13).text('Độc lập - Tự do - Hạnh phúc', x1, doc.y, { width: rightW, align: 'center' });
  const mottoWidth = doc.widthOfString('Độc lập - Tự do - Hạnh phúc');
  const rightRule = doc.y + 2;
  rule(doc, x1 + rightW / 2, rightRule, mottoWidth);
  doc
    .font('italic')
    .fontSize(14)
    .text(h.placeDate, x1, Math.max(rightRule + 8, leftRule + 8), { width: rightW, align: 'center' });
  doc.x = margins.left;
  doc.y = Math.max(leftEnd, doc.y) + 18;
}

function ensureRoom(doc: Doc, need: number): void {
  if (doc.y + need > bottom(doc)) doc.addPage();
}

function table(doc: Doc, block: Extract<DocumentBlock, { kind: 'table' }>): void {
  const total = block.columns.reduce((s, c) => s + c.width, 0) || 1;
  const cols = block.columns.map((c) => ({ ...c, w: (c.width / total) * width(doc) }));
  const pad = 4;
  const size = 12;
  const heightOf = (cells: string[], bold: boolean) => {
    doc.font(bold ? 'bold' : 'regular').fontSize(size);
    return Math.max(...cols.map((c, i) => doc.heightOfString(cells[i] || ' ', { width: c.w - 2 * pad }))) + 2 * pad;
  };
  const draw = (cells: string[], bold: boolean, h: number) => {
    const y = doc.y;
    let x = margins.left;
    cols.forEach((c, i) => {
      doc.rect(x, y, c.w, h).lineWidth(0.6).stroke();
      // Clipped to the row: a row is never continued on the next page.
      doc
        .font(bold ? 'bold' : 'regular')
        .fontSize(size)
        .text(cells[i] ?? '', x + pad, y + pad, {
          width: c.w - 2 * pad,
          height: h - 2 * pad + 1,
          ellipsis: true,
          align: bold ? 'center' : (c.align ?? 'left'),
        });
      x += c.w;
    });
    doc.x = margins.left;
    doc.y = y + h;
  };
  const headers = cols.map((c) => c.header);
  const headerH = heightOf(headers, true);
  const rows = block.rows.length ? block.rows : [];
  // The header never stands alone at the foot of a page: it goes with the first row.
  ensureRoom(doc, headerH + (rows[0] ? heightOf(rows[0], false) : 0));
  draw(headers, true, headerH);
  for (const r of rows) {
    // A row taller than a whole page (a very long cell) is cut with an ellipsis rather than split.
    const h = Math.min(heightOf(r, false), bottom(doc) - margins.top - headerH - 4);
    if (doc.y + h > bottom(doc)) {
      doc.addPage();
      draw(headers, true, headerH);
    }
    draw(r, false, h);
  }
  doc.y += 8;
}

function blocks(doc: Doc, list: DocumentBlock[]): void {
  const w = width(doc);
  for (const b of list) {
    doc.x = margins.left;
    if (b.kind === 'table') {
      table(doc, b);
    } else if (b.kind === 'heading') {
      ensureRoom(doc, 50);
      doc
        .font('bold')
        .fontSize(bodySize)
        .text(b.text, margins.left, doc.y, { width: w, align: b.align ?? 'left', indent: b.align === 'center' ? 0 : indent });
      doc.moveDown(0.3);
    } else {
      const align = b.align ?? 'justify';
      const opts = { width: w, align, indent: b.indent === false || align === 'center' ? 0 : indent, lineGap: 2 };
      ensureRoom(doc, 20);
      if (b.lead) {
        doc
          .font('bold')
          .fontSize(bodySize)
          .text(`${b.lead} `, margins.left, doc.y, { ...opts, continued: true });
        doc.font(b.italic ? 'italic' : 'regular').text(b.text, { ...opts, indent: 0 });
      } else {
        doc
          .font(b.italic ? 'italic' : 'regular')
          .fontSize(bodySize)
          .text(b.text, margins.left, doc.y, opts);
      }
      doc.moveDown(0.3);
    }
  }
}

/** The signature block on the right and `Nơi nhận:` on the left, side by side, kept on one page. */
function signature(doc: Doc, c: DocumentContent): void {
  const w = width(doc);
  const leftW = w * 0.45;
  const rightW = w - leftW;
  const recipientsHeight = () => {
    doc.font('regular').fontSize(11);
    return 20 + c.recipients.reduce((s, r) => s + doc.heightOfString(`- ${r}`, { width: leftW }), 0);
  };
  doc.moveDown(0.5);
  ensureRoom(doc, Math.max(150, recipientsHeight()));
  const top = doc.y;
  const x1 = margins.left + leftW;
  if (c.signer.onBehalf) doc.font('bold').fontSize(bodySize).text(c.signer.onBehalf.toUpperCase(), x1, top, { width: rightW, align: 'center' });
  doc
    .font('bold')
    .fontSize(bodySize)
    .text(c.signer.title.toUpperCase(), x1, c.signer.onBehalf ? doc.y : top, { width: rightW, align: 'center' });
  // Room for the signature and the seal.
  doc
    .font('bold')
    .fontSize(bodySize)
    .text(c.signer.name, x1, doc.y + 70, { width: rightW, align: 'center' });
  const rightEnd = doc.y;
  if (c.recipients.length) {
    doc.font('boldItalic').fontSize(12).text('Nơi nhận:', margins.left, top, { width: leftW });
    for (const r of c.recipients) doc.font('regular').fontSize(11).text(`- ${r}`, margins.left, doc.y, { width: leftW });
  }
  doc.x = margins.left;
  doc.y = Math.max(rightEnd, doc.y) + 10;
}

/** Lays the document out and returns the PDF bytes; the same input and time give the same bytes. */
export function renderDocument(h: Letterhead, c: DocumentContent, o: RenderOptions): Promise<Buffer> {
  const fonts = glyphFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margins,
    bufferPages: true,
    info: { Title: o.title.normalize('NFC'), Author: o.author.normalize('NFC'), Creator: 'isotrack', Producer: 'isotrack', CreationDate: o.createdAt },
  });
  for (const [face, font] of fonts) {
    doc.registerFont(face, font as unknown as Buffer);
    shareLayoutCache(doc, face);
  }
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const w = width(doc);

  letterhead(doc, h);
  doc.font('bold').fontSize(bodySize).text(c.typeTitle.toUpperCase(), margins.left, doc.y, { width: w, align: 'center' });
  doc
    .font('bold')
    .fontSize(bodySize)
    .text(c.subject, margins.left + w * 0.1, doc.y, { width: w * 0.8, align: 'center' });
  rule(doc, margins.left + w / 2, doc.y + 3, w * 0.25);
  doc.y += 12;
  if (c.authority) {
    doc.font('bold').fontSize(bodySize).text(c.authority.toUpperCase(), margins.left, doc.y, { width: w, align: 'center' });
    doc.moveDown(0.6);
  }
  blocks(doc, c.body);
  signature(doc, c);
  if (c.annex) {
    doc.addPage();
    doc.font('bold').fontSize(bodySize).text(c.annex.title.toUpperCase(), margins.left, doc.y, { width: w, align: 'center' });
    if (c.annex.subtitle)
      doc
        .font('italic')
        .fontSize(13)
        .text(c.annex.subtitle, margins.left + w * 0.05, doc.y, { width: w * 0.9, align: 'center' });
    doc.moveDown(0.8);
    blocks(doc, c.annex.blocks);
  }

  // NĐ 30/2020: page numbers centred at the top, from the second page on.
  const range = doc.bufferedPageRange();
  for (let i = range.start + 1; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc
      .font('regular')
      .fontSize(13)
      .text(String(i + 1), margins.left, 10 * mm, { width: w, align: 'center', lineBreak: false });
  }
  doc.end();
  return done;
}

export { textsOf };
