import fs from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';

/**
 * The A4 poster a unit pins at its one-stop counter: its name, a QR code to its survey and a
 * short invitation, in Tinos (Times New Roman metrics, every Vietnamese letter) like the
 * documents the app prints.
 */
const mm = 72 / 25.4;
let fonts: { regular: Buffer; bold: Buffer } | undefined;

function loadFonts(): { regular: Buffer; bold: Buffer } {
  if (!fonts) {
    const req = createRequire(import.meta.url);
    const read = (p: string) => fs.readFileSync(req.resolve(`@expo-google-fonts/tinos/${p}`));
    fonts = { regular: read('400Regular/Tinos_400Regular.ttf'), bold: read('700Bold/Tinos_700Bold.ttf') };
  }
  return fonts;
}

export interface PosterInput {
  unitName: string;
  surveyUrl: string;
  title: string;
  invitation: string;
  anonymous: string;
}

/** The survey's QR code as a PNG: medium error correction survives a worn or creased print. */
export function surveyQrPng(url: string): Promise<Buffer> {
  return QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 4, scale: 10 });
}

export async function renderPoster(p: PosterInput, createdAt: Date): Promise<Buffer> {
  const qr = await surveyQrPng(p.surveyUrl);
  const f = loadFonts();
  const margin = 20 * mm;
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: margin, bottom: margin, left: margin, right: margin },
    info: { Title: p.title.normalize('NFC'), Author: p.unitName.normalize('NFC'), Creator: 'isotrack', Producer: 'isotrack', CreationDate: createdAt },
  });
  doc.registerFont('regular', f.regular);
  doc.registerFont('bold', f.bold);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 2 * margin;
  doc.font('bold').fontSize(22).text(p.unitName.normalize('NFC').toUpperCase(), { align: 'center', width });
  doc.moveDown(0.8);
  doc.font('bold').fontSize(26).text(p.title.normalize('NFC'), { align: 'center', width });
  doc.moveDown(1);
  const size = 110 * mm;
  doc.image(qr, margin + (width - size) / 2, doc.y, { width: size, height: size });
  doc.y += size + 8 * mm;
  doc.font('regular').fontSize(16).text(p.invitation.normalize('NFC'), margin, doc.y, { align: 'center', width });
  doc.moveDown(0.6);
  doc.font('regular').fontSize(12).fillColor('#444').text(p.surveyUrl, { align: 'center', width });
  doc.moveDown(0.4);
  doc.text(p.anonymous.normalize('NFC'), { align: 'center', width });
  doc.end();
  return done;
}
