import { expect } from 'chai';
import { cleanFileName, dispositionOf } from '../../src/kernel/files/file-name.ts';
import { sniffFile } from '../../src/kernel/files/sniff.ts';

const office = ['pdf', 'docx', 'xlsx', 'doc', 'xls', 'odt', 'ods', 'jpg', 'png', 'webp'];
const ole = (stream: string) =>
  Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(100), Buffer.from(stream, 'utf16le')]);
const odf = (mime: string) => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(26), Buffer.from(`mimetype${mime}`)]);

describe('uploaded file names', () => {
  it('drops every direction mark, so a name reads as the file it is', () => {
    const marks = '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c';
    expect(cleanFileName(`hoa-don\u202efdp.exe${marks}.pdf`)).to.equal('hoa-donfdp.exe.pdf');
  });

  it('drops control characters and DEL, and keeps Vietnamese letters in NFC', () => {
    // "Tờ" typed as o + horn + grave (decomposed), as some systems send it.
    expect(cleanFileName('To\u031b\u0300\u0000 khai\u0007\u001b\u007f\r\n.pdf')).to.equal('T\u1edd khai.pdf');
  });

  it('replaces quotes and path separators, keeps the extension when cutting, and never answers an empty name', () => {
    expect(cleanFileName('../"a"\\b.pdf')).to.equal('..__a__b.pdf');
    expect(cleanFileName(`${'x'.repeat(300)}.docx`, 200))
      .to.have.length(200)
      .and.match(/\.docx$/);
    expect(cleanFileName('\u202e\u0001 ')).to.equal('tep');
  });

  it('sends the name in a header with an ASCII fallback', () => {
    expect(dispositionOf('attachment', 'Tờ khai.pdf')).to.equal(`attachment; filename="To khai.pdf"; filename*=UTF-8''T%E1%BB%9D%20khai.pdf`);
  });
});

describe('uploaded file types', () => {
  it('recognises the documents an ISO officer attaches by their first bytes', () => {
    expect(sniffFile('a.doc', ole('WordDocument'), office)).to.deep.include({ ext: 'doc' });
    expect(sniffFile('a.xls', ole('Workbook'), office)).to.deep.include({ ext: 'xls' });
    expect(sniffFile('a.odt', odf('application/vnd.oasis.opendocument.text'), office)).to.deep.include({ ext: 'odt' });
    expect(sniffFile('a.ods', odf('application/vnd.oasis.opendocument.spreadsheet'), office)).to.deep.include({ ext: 'ods' });
  });

  it('refuses active content, a file whose bytes are something else, and an empty file', () => {
    expect(sniffFile('a.html', Buffer.from('<html>'), office)).to.deep.equal({ refused: 'type' });
    expect(sniffFile('a.svg', Buffer.from('<svg/>'), office)).to.deep.equal({ refused: 'type' });
    expect(sniffFile('a.pdf', Buffer.from('<svg/>'), office)).to.deep.equal({ refused: 'mismatch' });
    expect(sniffFile('a.xls', ole('WordDocument'), office)).to.deep.equal({ refused: 'mismatch' });
    expect(sniffFile('a.pdf', Buffer.alloc(0), office)).to.deep.equal({ refused: 'empty' });
    expect(sniffFile('a.doc', ole('WordDocument'), ['pdf'])).to.deep.equal({ refused: 'type' });
  });
});
