import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { AppError } from '../../src/kernel/errors.ts';
import { cellText, defaultExcelLimits, ImportReportError, rawText, readWorkbook, type ExcelLimits, type ImportProblem } from '../../src/kernel/excel/index.ts';
import { parseWorkbook } from '../../src/kernel/excel/parse.ts';
import { rawXlsx, sheetXml, withDeclaredSize } from '../fixtures/xlsx-raw.ts';

const limits = (over: Partial<ExcelLimits> = {}): ExcelLimits => ({ ...defaultExcelLimits, ...over });

/** The code of the refusal, or 'none' when the call went through. */
function refusal(run: () => unknown): string {
  try {
    run();
    return 'none';
  } catch (err) {
    return err instanceof AppError ? err.code : `thrown: ${String(err)}`;
  }
}

async function xlsx(fill: (ws: ExcelJS.Worksheet, wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  fill(wb.addWorksheet('Danh sách'), wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('the bounded Excel reader', () => {
  it('reads every kind of cell as exceljs did: texts, numbers, codes, dates, booleans, rich text and formula results', async () => {
    const file = await xlsx((ws) => {
      ws.addRow(['Mã', 'Tên', 'Ngày', 'Có', 'Công thức', 'Chữ']);
      ws.addRow([
        1.00089,
        '  Nguyễn Văn A ',
        new Date(Date.UTC(2026, 2, 31)),
        true,
        { formula: 'A2*2', result: 2.00178 },
        { richText: [{ text: 'Đăng ' }, { text: 'ký', font: { bold: true } }] },
      ]);
      ws.addRow(["'=SUM(A1)", 42, { formula: 'TODAY()', result: new Date(Date.UTC(2026, 0, 5)) }, false, { formula: '"a"&"b"', result: 'ab' }, '']);
      ws.getCell('C3').numFmt = 'dd/mm/yyyy';
    });
    const ref = new ExcelJS.Workbook();
    await ref.xlsx.load(file as unknown as ArrayBuffer);
    const sheet = parseWorkbook(file, ['danh sach'], limits())['danh sach'];
    expect(sheet?.name).to.equal('Danh sách');
    for (const r of [1, 2, 3]) {
      const row = sheet?.rows.find((x) => x.row === r);
      for (let c = 1; c <= 6; c++) {
        for (const code of [false, true]) {
          expect(rawText(row?.cells[c], { code }), `R${r}C${c}`).to.equal(cellText(ref.worksheets[0]!.getRow(r).getCell(c).value, { code }));
        }
      }
    }
    expect(rawText(sheet?.rows[1]?.cells[1], { code: true })).to.equal('1.000890');
    expect(rawText(sheet?.rows[1]?.cells[3])).to.equal('2026-03-31');
  });

  it('refuses a sheet whose declared range reaches A1048576 without reading a row', async () => {
    const file = await xlsx((ws) => {
      ws.addRow(['Họ và tên', 'Chức vụ']);
      ws.addRow(['Nguyễn Văn A', 'Công chức']);
      ws.getCell('A1048576').value = 'x';
    });
    expect(refusal(() => parseWorkbook(file, ['Danh sách'], limits()))).to.equal('IMPORT_DIMENSION');
  });

  it('stops at the first run of empty rows, so a value far below the data is never reached', () => {
    const xml = sheetXml([['Họ và tên'], ['A'], ['B']]).replace(
      '</sheetData>',
      '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
    );
    const sheet = parseWorkbook(rawXlsx('S', xml), ['S'], limits({ maxEmptyRows: 50 }))['S'];
    expect(sheet?.rows.map((r) => r.row)).to.deep.equal([1, 2, 3]);
  });

  it('refuses a workbook that inflates beyond the limit, whether its sizes are declared or lied about', () => {
    const bomb = rawXlsx('S', sheetXml([['a']], { padding: 3 * 1024 * 1024 }));
    expect(bomb.length).to.be.below(20 * 1024);
    expect(refusal(() => parseWorkbook(bomb, ['S'], limits({ maxInflatedBytes: 1024 * 1024 })))).to.equal('IMPORT_TOO_BIG');
    const liar = withDeclaredSize(bomb, 'xl/worksheets/sheet1.xml', 1000);
    expect(refusal(() => parseWorkbook(liar, ['S'], limits({ maxInflatedBytes: 1024 * 1024 })))).to.equal('IMPORT_TOO_BIG');
  });

  it('refuses too many rows, a value beyond the last column, and too many cells', () => {
    const rows = Array.from({ length: 30 }, (_, i) => [`r${i}`, i]);
    expect(refusal(() => parseWorkbook(rawXlsx('S', sheetXml(rows)), ['S'], limits({ maxRows: 20 })))).to.equal('IMPORT_TOO_MANY_ROWS');
    expect(refusal(() => parseWorkbook(rawXlsx('S', sheetXml(rows)), ['S'], limits({ maxRows: 29 })))).to.equal('none');
    expect(refusal(() => parseWorkbook(rawXlsx('S', sheetXml([['a', 'b', 'c']])), ['S'], limits({ maxColumns: 2 })))).to.equal('IMPORT_TOO_MANY_COLUMNS');
    expect(refusal(() => parseWorkbook(rawXlsx('S', sheetXml(rows)), ['S'], limits({ maxCells: 40 })))).to.equal('IMPORT_TOO_MANY_CELLS');
  });

  it('refuses a zip that is not a workbook, and a file that is not a zip, as damaged', async () => {
    const { zipSync, strToU8 } = await import('fflate');
    const docx = Buffer.from(zipSync({ 'word/document.xml': strToU8('<w:document/>') }));
    expect(refusal(() => parseWorkbook(docx, ['S'], limits()))).to.equal('IMPORT_CORRUPT');
    const err = await readWorkbook({ name: 'a.xlsx', buffer: Buffer.from('PK\u0003\u0004 but not really a zip') }, ['S']).catch((e: unknown) => e);
    expect((err as AppError).code).to.equal('IMPORT_CORRUPT');
  });

  it('parses in a worker thread and answers the sheets asked for', async () => {
    const file = rawXlsx('Số liệu', sheetXml([['Mã đơn vị'], ['DNO-CJ']]));
    const out = await readWorkbook({ name: 'a.xlsx', buffer: file }, ['Số liệu', 'Khác']);
    expect(out['Số liệu']?.rows).to.deep.equal([
      { row: 1, cells: { 1: 'Mã đơn vị' } },
      { row: 2, cells: { 1: 'DNO-CJ' } },
    ]);
    expect(out['Khác']).to.equal(undefined);
  });

  it('lists the first problems of a report and counts the rest on one more line', () => {
    const problems: ImportProblem[] = Array.from({ length: 1000 }, (_, i) => ({ sheet: 'S', row: i + 2, column: 'A', key: 'v.required' }));
    const err = new ImportReportError(problems, 200);
    expect(err.params.count).to.equal(1000);
    expect(err.problems).to.have.length(201);
    expect(err.problems[200]).to.deep.include({ key: 'v.import_more', params: { n: 800 } });
  });
});
