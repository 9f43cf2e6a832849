import fs from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { nfc } from '../../lib/text.ts';
import type { Revision } from './catalog.types.ts';

/**
 * A procedure as a printed document: A4 with the NĐ 30/2020 margins (top and bottom 20 mm, left
 * 30 mm, right 15 mm), Tinos (metric-compatible with Times New Roman, covers Vietnamese), the
 * header box (unit, title, code, revision, issue date), the sign-off table, the sections and the
 * steps, forms and records tables. Page numbers centred at the top from page 2.
 */
const mm = 72 / 25.4;
const margins = { top: 20 * mm, bottom: 20 * mm, left: 30 * mm, right: 15 * mm };

interface Fonts {
  regular: Buffer;
  bold: Buffer;
  italic: Buffer;
}
let fonts: Fonts | undefined;

/** Read once per process: every PDF after the first reuses the buffers. */
function loadFonts(): Fonts {
  if (!fonts) {
    const req = createRequire(import.meta.url);
    const read = (p: string) => fs.readFileSync(req.resolve(`@expo-google-fonts/tinos/${p}`));
    fonts = {
      regular: read('400Regular/Tinos_400Regular.ttf'),
      bold: read('700Bold/Tinos_700Bold.ttf'),
      italic: read('400Regular_Italic/Tinos_400Regular_Italic.ttf'),
    };
  }
  return fonts;
}

export interface PrintData {
  unitName: string;
  parentName: string | null;
  rev: Revision;
  kindLabel: string;
  tthcText: string | null;
  /** Labels in the document's language (Vietnamese). */
  fmtDay(d: string | null): string;
}

type Doc = PDFKit.PDFDocument;
interface Col {
  header: string;
  width: number;
  align?: 'left' | 'center' | 'right';
}

const pageBottom = (doc: Doc) => doc.page.height - margins.bottom;
const contentWidth = (doc: Doc) => doc.page.width - margins.left - margins.right;

/** A table that breaks across pages, repeating its header row. */
function table(doc: Doc, cols: Col[], rows: string[][], opts: { headerFill?: string } = {}): void {
  const pad = 4;
  const size = 11;
  const rowHeight = (cells: string[], bold: boolean) => {
    doc.font(bold ? 'bold' : 'regular').fontSize(size);
    return Math.max(...cells.map((c, i) => doc.heightOfString(c || ' ', { width: (cols[i]?.width ?? 50) - 2 * pad }))) + 2 * pad;
  };
  const drawRow = (cells: string[], bold: boolean) => {
    const h = rowHeight(cells, bold);
    if (doc.y + h > pageBottom(doc)) {
      doc.addPage();
      if (!bold)
        drawRow(
          cols.map((c) => c.header),
          true,
        );
    }
    const y = doc.y;
    let x = margins.left;
    cells.forEach((c, i) => {
      const w = cols[i]?.width ?? 50;
      if (bold && opts.headerFill) doc.rect(x, y, w, h).fill(opts.headerFill).fillColor('black');
      doc.rect(x, y, w, h).lineWidth(0.6).stroke();
      doc
        .font(bold ? 'bold' : 'regular')
        .fontSize(size)
        .text(c, x + pad, y + pad, { width: w - 2 * pad, align: bold ? 'center' : (cols[i]?.align ?? 'left') });
      x += w;
    });
    doc.x = margins.left;
    doc.y = y + h;
  };
  drawRow(
    cols.map((c) => c.header),
    true,
  );
  for (const r of rows) drawRow(r, false);
  doc.moveDown(0.6);
}

function heading(doc: Doc, text: string): void {
  if (doc.y + 40 > pageBottom(doc)) doc.addPage();
  doc.x = margins.left;
  doc
    .font('bold')
    .fontSize(13)
    .text(text, { width: contentWidth(doc) });
  doc.moveDown(0.3);
}

function paragraph(doc: Doc, text: string): void {
  doc
    .font('regular')
    .fontSize(13)
    .text(text, margins.left, doc.y, { width: contentWidth(doc), align: 'justify' });
  doc.moveDown(0.5);
}

/** Builds the PDF of one revision; all text is put in NFC before drawing. */
export function procedurePdf(input: PrintData): Promise<Buffer> {
  const f = loadFonts();
  const n = (s: string | null | undefined) => nfc(s ?? '');
  const r = input.rev;
  const doc = new PDFDocument({ size: 'A4', margins, bufferPages: true, info: { Title: n(`${r.code} ${r.title}`), Author: n(input.unitName) } });
  doc.registerFont('regular', f.regular);
  doc.registerFont('bold', f.bold);
  doc.registerFont('italic', f.italic);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const w = contentWidth(doc);
  // Header box: issuing body | document type and title | code, revision, issue date.
  const left = w * 0.28;
  const right = w * 0.34;
  const mid = w - left - right;
  const top = doc.y;
  const unitLines = [input.parentName ? n(input.parentName).toUpperCase() : '', n(input.unitName).toUpperCase()].filter(Boolean).join('\n');
  const rightText = [
    `Mã hiệu: ${n(r.code)}`,
    `Lần ban hành: ${String(r.revisionNo).padStart(2, '0')}`,
    `Ngày ban hành: ${input.fmtDay(r.issueDate) || '—'}`,
  ].join('\n');
  doc.font('bold').fontSize(12);
  const midText = `QUY TRÌNH\n${n(r.title).toUpperCase()}`;
  const h =
    Math.max(
      doc.heightOfString(unitLines, { width: left - 8 }),
      doc.heightOfString(midText, { width: mid - 8 }),
      doc.font('regular').heightOfString(rightText, { width: right - 8 }),
    ) + 12;
  doc
    .lineWidth(0.8)
    .rect(margins.left, top, left, h)
    .stroke()
    .rect(margins.left + left, top, mid, h)
    .stroke()
    .rect(margins.left + left + mid, top, right, h)
    .stroke();
  // NĐ 30/2020: the parent body in plain capitals, the issuing body in bold capitals under it.
  if (input.parentName)
    doc
      .font('regular')
      .fontSize(12)
      .text(n(input.parentName).toUpperCase(), margins.left + 4, top + 6, { width: left - 8, align: 'center' });
  doc
    .font('bold')
    .fontSize(12)
    .text(n(input.unitName).toUpperCase(), margins.left + 4, input.parentName ? doc.y : top + 6, { width: left - 8, align: 'center' });
  doc
    .font('bold')
    .fontSize(12)
    .text(midText, margins.left + left + 4, top + 6, { width: mid - 8, align: 'center' });
  doc
    .font('regular')
    .fontSize(12)
    .text(rightText, margins.left + left + mid + 4, top + 6, { width: right - 8 });
  doc.x = margins.left;
  doc.y = top + h + 14;

  const sign = (s: Revision['drafted']) => [n(s.name), '', s.at ? input.fmtDay(s.at.slice(0, 10)) : ''];
  const [d, rv, a] = [sign(r.drafted), sign(r.reviewed), sign(r.approved)];
  const c3 = (w - 90) / 3;
  table(
    doc,
    [
      { header: '', width: 90 },
      { header: 'Soạn thảo', width: c3 },
      { header: 'Xem xét', width: c3 },
      { header: 'Phê duyệt', width: c3 },
    ],
    [
      ['Họ và tên', d[0]!, rv[0]!, a[0]!],
      ['Chữ ký\n\n', '', '', ''],
      ['Ngày', d[2]!, rv[2]!, a[2]!],
    ],
    { headerFill: '#eeeeee' },
  );

  let no = 0;
  const section = (title: string, text: string | null) => {
    if (!text) return;
    heading(doc, `${++no}. ${title}`);
    paragraph(doc, n(text));
  };
  section('MỤC ĐÍCH', r.purpose);
  section('PHẠM VI ÁP DỤNG', r.scopeText);
  section('TÀI LIỆU VIỆN DẪN', r.referencesText);
  section('ĐỊNH NGHĨA, TỪ VIẾT TẮT', r.definitions);
  heading(doc, `${++no}. NỘI DUNG QUY TRÌNH`);
  if (input.tthcText) paragraph(doc, `${input.kindLabel}: ${n(input.tthcText)}`);
  table(
    doc,
    [
      { header: 'TT', width: 28, align: 'center' },
      { header: 'Nội dung công việc', width: w * 0.36 },
      { header: 'Trách nhiệm', width: w * 0.22 },
      { header: 'Thời gian (ngày)', width: 58, align: 'center' },
      { header: 'Kết quả', width: w - 28 - w * 0.58 - 58 },
    ],
    r.steps.map((s, i) => [String(i + 1), n(s.action), n(s.responsible), s.days === null ? '' : String(s.days).replace('.', ','), n(s.output)]),
    { headerFill: '#eeeeee' },
  );
  if (r.totalDays !== null) paragraph(doc, `Tổng thời gian: ${String(r.totalDays).replace('.', ',')} ngày làm việc.`);
  heading(doc, `${++no}. BIỂU MẪU`);
  table(
    doc,
    [
      { header: 'TT', width: 28, align: 'center' },
      { header: 'Mã hiệu', width: 90 },
      { header: 'Tên biểu mẫu', width: w - 118 },
    ],
    r.forms.map((x, i) => [String(i + 1), n(x.code), n(x.name)]),
    { headerFill: '#eeeeee' },
  );
  heading(doc, `${++no}. HỒ SƠ CẦN LƯU`);
  table(
    doc,
    [
      { header: 'TT', width: 28, align: 'center' },
      { header: 'Hồ sơ', width: w * 0.45 },
      { header: 'Nơi lưu', width: w * 0.3 },
      { header: 'Thời gian lưu', width: w * 0.25 - 28 },
    ],
    r.records.map((x, i) => [String(i + 1), n(x.name), n(x.keeper), n(x.retention)]),
    { headerFill: '#eeeeee' },
  );

  // NĐ 30/2020: page numbers centred at the top, from the second page on.
  const range = doc.bufferedPageRange();
  for (let i = range.start + 1; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc
      .font('regular')
      .fontSize(12)
      .text(String(i + 1), margins.left, 10 * mm, { width: w, align: 'center', lineBreak: false });
  }
  doc.end();
  return done;
}
