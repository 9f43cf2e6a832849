import { expect } from 'chai';
import type { Actor } from '../../src/lib/actor.ts';
import type { DocumentsService } from '../../src/modules/documents/documents.service.ts';
import { renderDocument } from '../../src/modules/documents/nd30.layout.ts';
import { forEachDatabase } from '../helpers/app.ts';
import { seedTree } from '../fixtures/tree.ts';
import {
  auditCheck,
  inspection,
  issuedProcedures,
  keepFirstPage,
  managementReview,
  manyProcedures,
  pdfInfo,
  pdfPages,
  pdfPlain,
  pdfWords,
} from '../fixtures/documents-data.ts';

/**
 * Every document type rendered from known data and read back with poppler: the NĐ 30 header,
 * the number, the place-and-date line, the title, the annex rows and the recipients, with every
 * diacritic intact; the page size and margins measured on the PDF.
 */
const mm = 72 / 25.4;
const squash = (s: string) => s.replace(/\s+/g, ' ');

forEachDatabase('documents: each type printed in the NĐ 30 layout', (ctx) => {
  let docs: DocumentsService;
  let officer: Actor;
  let writer: Actor;
  let leader: Actor;

  before(async function () {
    this.timeout(60_000);
    await seedTree(ctx());
    docs = ctx().built.services.documents;
    officer = { user: (await ctx().userWith('officer', 'DNO-CJ-ND')).user };
    writer = officer;
    leader = { user: (await ctx().userWith('leader', 'DNO-CJ-ND')).user };
    await issuedProcedures(ctx(), 'DNO-CJ-ND', [
      { code: 'QT-01/ND-HT', title: 'Quy trình đăng ký khai sinh', tthcCode: '1.001193' },
      { code: 'QT-02/ND-HT', title: 'Quy trình đăng ký kết hôn', tthcCode: '1.000894', revisionNo: 2, issueDate: '2026-02-10' },
      { code: 'QT-03/ND-CT', title: 'Quy trình chứng thực bản sao từ bản chính', tthcCode: '2.000815' },
      { code: 'QT-10/ND-NB', title: 'Quy trình kiểm soát tài liệu và hồ sơ', tthcCode: null },
    ]);
  });

  /** Prepares a draft of that type and sets the signer, then previews it. */
  async function render(type: string, unitCode = 'DNO-CJ-ND', extra: Record<string, unknown> = {}, parts: Record<string, string> = {}) {
    const officer = unitCode === 'DNO-CJ-ND' ? writer : ctx().admin;
    const d = await docs.prepare(officer, await ctx().unitId(unitCode), { type, ...extra });
    const f = d.fields;
    await docs.update(officer, d.id, {
      numberSeq: d.numberSeq,
      numberSuffix: d.numberSuffix,
      issueDate: '2026-12-05',
      subject: f.subject,
      authority: f.authority,
      legalBases: f.legalBases,
      articles: f.articles,
      signerOnBehalf: f.signerOnBehalf,
      signerTitle: f.signerTitle,
      signerName: 'Nguyễn Thị Hường',
      recipients: f.recipients,
      parts: { ...f.parts, ...parts },
    });
    const { pdf } = await docs.preview(officer, d.id);
    return { doc: d, pdf, pages: pdfPages(pdf), plain: pdfPlain(pdf) };
  }

  /** The header read in reading order, so that its two columns do not interleave. */
  function expectLetterhead(plain: string, number: string): void {
    const page = plain.split('\f')[0]!;
    for (const s of [
      'UBND HUYỆN CƯ JÚT\nỦY BAN NHÂN DÂN\nXÃ NAM DONG\n',
      '\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n',
      '\nĐộc lập - Tự do - Hạnh phúc\n',
      `\nSố: ${number}\n`,
      '\nNam Dong, ngày 05 tháng 12 năm 2026\n',
    ]) {
      expect(page, s).to.contain(s);
    }
  }

  it('prints the declaration decision with its header, articles, signature, recipients and the annex of procedures', async () => {
    const { pdf, pages, plain } = await render('declaration');
    keepFirstPage(pdf, `declaration-${ctx().dialect}`);
    keepFirstPage(pdf, `declaration-annex-${ctx().dialect}`, 2);
    expectLetterhead(plain, '01/QĐ-UBND');
    const first = squash(pages[0]!);
    for (const s of [
      'QUYẾT ĐỊNH',
      'Về việc công bố Hệ thống quản lý chất lượng phù hợp Tiêu chuẩn quốc gia TCVN ISO 9001:2015',
      'CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ NAM DONG',
      'Căn cứ Luật Tổ chức chính quyền địa phương',
      'QUYẾT ĐỊNH:',
      'Điều 1. Công bố Hệ thống quản lý chất lượng của Ủy ban nhân dân xã Nam Dong',
      'Điều 2.',
      'Điều 3.',
      'TM. ỦY BAN NHÂN DÂN',
      'CHỦ TỊCH',
      'Nguyễn Thị Hường',
      'Nơi nhận:',
      '- Như Điều 3;',
      '- Ủy ban nhân dân huyện Cư Jút;',
      '- Lưu: VT.',
    ]) {
      expect(first, s).to.contain(s);
    }
    const annex = squash(pages.slice(1).join(' '));
    expect(annex).to.contain('PHỤ LỤC');
    expect(annex).to.contain('(Kèm theo Quyết định số 01/QĐ-UBND ngày 05 tháng 12 năm 2026 của Chủ tịch Ủy ban nhân dân xã Nam Dong)');
    for (const [code, title, tthc] of [
      ['QT-01/ND-HT', 'Quy trình đăng ký khai sinh', '1.001193'],
      ['QT-02/ND-HT', 'Quy trình đăng ký kết hôn', '1.000894'],
      ['QT-03/ND-CT', 'Quy trình chứng thực bản sao từ bản chính', '2.000815'],
      ['QT-10/ND-NB', 'Quy trình kiểm soát tài liệu và hồ sơ', ''],
    ]) {
      const line = pages
        .slice(1)
        .join('\n')
        .split('\n')
        .find((l) => l.includes(code!));
      expect(line, code).to.be.a('string');
      expect(squash(line!)).to.contain(title!);
      if (tthc) expect(line).to.contain(tthc);
    }
  });

  it('lays the page out on A4 with the NĐ 30 margins, the title centred and page numbers from page 2', async () => {
    const { pdf } = await render('declaration');
    const info = pdfInfo(pdf);
    expect(info['Page size']).to.match(/^595\.2\d* x 841\.8\d* pts \(A4\)/);
    const words = pdfWords(pdf);
    const body = words.filter((w) => !(w.page > 1 && w.yMax < 20 * mm));
    const left = Math.min(...body.map((w) => w.xMin));
    const right = Math.max(...body.map((w) => w.xMax));
    const top = Math.min(...body.map((w) => w.yMin));
    const bottom = Math.max(...body.map((w) => w.yMax));
    expect(left, 'left margin 30 mm').to.be.within(30 * mm - 0.5, 30 * mm + 3);
    expect(right, 'right margin 15 mm').to.be.within(595.28 - 15 * mm - 8, 595.28 - 15 * mm + 0.5);
    expect(top, 'top margin 20 mm').to.be.within(20 * mm - 0.5, 20 * mm + 4);
    expect(bottom, 'bottom margin 20 mm').to.be.at.most(841.89 - 20 * mm + 0.5);
    // The title is centred on the text width.
    const title = words.find(
      (w) => w.page === 1 && w.text === 'ĐỊNH' && words.some((v) => v.page === 1 && v.text === 'QUYẾT' && Math.abs(v.yMin - w.yMin) < 1 && v.xMax < w.xMin),
    );
    const titleLeft = words.find((w) => w.page === 1 && w.text === 'QUYẾT' && Math.abs(w.yMin - title!.yMin) < 1)!;
    const centre = (titleLeft.xMin + title!.xMax) / 2;
    expect(centre).to.be.within(30 * mm + (595.28 - 45 * mm) / 2 - 2, 30 * mm + (595.28 - 45 * mm) / 2 + 2);
    // Page 1 has no number; page 2 has "2" centred in the top margin.
    expect(words.filter((w) => w.page === 1 && w.yMax < 20 * mm)).to.deep.equal([]);
    const two = words.find((w) => w.page === 2 && w.yMax < 20 * mm)!;
    expect(two.text).to.equal('2');
    expect((two.xMin + two.xMax) / 2).to.be.within(centre - 2, centre + 2);
    expect(info.CreationDate).to.match(/^2026-03-02T02:00:00/);
  });

  it('repeats the annex header row on every page and never splits a row across two pages', async () => {
    await issuedProcedures(ctx(), 'DNO-CJ-ET', manyProcedures(120));
    const { pdf, pages } = await render('declaration', 'DNO-CJ-ET');
    keepFirstPage(pdf, `declaration-annex-120-page3-${ctx().dialect}`, 3);
    const annexPages = pages.slice(1);
    expect(annexPages.length).to.be.greaterThan(3);
    for (const [i, p] of annexPages.entries()) {
      expect(p, `annex page ${i + 2}`).to.match(/TT\s+Mã hiệu\s+Tên quy trình\s+Mã TTHC/);
      expect(p.trimStart().startsWith(String(i + 2)), `number on page ${i + 2}`).to.equal(true);
    }
    for (let n = 1; n <= 120; n++) {
      const code = `QT-${String(n).padStart(3, '0')}`;
      const tthc = `1.00${1000 + n - 1}`;
      const holding = annexPages.filter((p) => p.includes(code));
      expect(holding, code).to.have.length(1);
      // The row runs from its code to the next row's code: its TTHC code and the end of its title are in it.
      const lines = holding[0]!.split('\n');
      const at = lines.findIndex((l) => l.includes(code));
      const next = lines.findIndex((l, i) => i > at && /^\s*\d+\s+QT-\d{3}/.test(l));
      const row = squash(lines.slice(at, next === -1 ? undefined : next).join(' '));
      expect(row, code).to.contain(tthc);
      expect(row, code).to.contain(`${n})`);
      expect(row, code).to.contain('trả kết quả');
    }
  });

  it('prints the re-declaration with its reason and what changed since the last issued declaration', async () => {
    const first = await docs.prepare(officer, await ctx().unitId('DNO-CJ-ND'), { type: 'declaration' });
    await docs.approve(leader, first.id);
    // The unit misses what a declaration checks (no system procedure): the leader issues it with a reason.
    await docs.issue(leader, first.id, { overrideReason: 'Bản công bố đầu để so sánh' });
    await issuedProcedures(ctx(), 'DNO-CJ-ND', [{ code: 'QT-04/ND-DD', title: 'Quy trình cấp giấy xác nhận tình trạng hôn nhân', tthcCode: '1.004873' }]);
    await ctx().db('procedures').where({ code: 'QT-03/ND-CT' }).update({ status: 'withdrawn' });
    try {
      const { pdf, pages, plain } = await render('redeclaration', 'DNO-CJ-ND', {}, { reason: 'merger' });
      keepFirstPage(pdf, `redeclaration-${ctx().dialect}`);
      expectLetterhead(plain, '01/QĐ-UBND');
      const all = squash(pages.join(' '));
      for (const s of [
        'Về việc công bố lại Hệ thống quản lý chất lượng',
        'Lý do công bố lại: Sắp xếp, sáp nhập đơn vị hành chính.',
        `thay thế Quyết định số ${first.numberText}`,
        `II. Những thay đổi so với Quyết định số ${first.numberText} ngày 02 tháng 3 năm 2026`,
      ]) {
        expect(all, s).to.contain(s);
      }
      const lines = pages.slice(1).join('\n').split('\n');
      const added = lines.findIndex((l) => l.includes('Bổ sung'));
      expect(squash(lines.slice(added, added + 2).join(' '))).to.match(/Bổ sung QT-04\/ND-DD Quy trình cấp giấy xác nhận tình trạng 1\.004873 hôn nhân/);
      const removed = lines.findIndex((l) => l.includes('Bãi bỏ'));
      expect(squash(lines.slice(removed, removed + 2).join(' '))).to.contain('Bãi bỏ QT-03/ND-CT Quy trình chứng thực bản sao từ bản chính 2.000815');
    } finally {
      await ctx().db('procedures').where({ code: 'QT-03/ND-CT' }).update({ status: 'issued' });
    }
  });

  it("prints the decision issuing the document set with each procedure's revision and date", async () => {
    const { pdf, pages, plain } = await render('document-set-decision');
    keepFirstPage(pdf, `document-set-decision-${ctx().dialect}`);
    expectLetterhead(plain, '01/QĐ-UBND');
    expect(squash(pages[0]!)).to.contain('Về việc ban hành bộ tài liệu Hệ thống quản lý chất lượng');
    const kh = pages
      .slice(1)
      .join('\n')
      .split('\n')
      .find((l) => l.includes('QT-02/ND-HT'))!;
    expect(squash(kh)).to.match(/QT-02\/ND-HT Quy trình đăng ký kết hôn 02 10\/02\/2026/);
  });

  it('prints the yearly report with the figures of the year and the free-text parts', async () => {
    await auditCheck(ctx(), 'DNO-CJ-ND', '2026-06-12');
    await auditCheck(ctx(), 'DNO-CJ-ND', '2025-06-12');
    const figure = async (start: string, end: string, received: number, early: number, onTime: number, late: number, apologies: number) =>
      ctx()
        .db('on_time_figures')
        .insert({
          unit_id: await ctx().unitId('DNO-CJ-ND'),
          period_start: start,
          period_end: end,
          received,
          early,
          on_time: onTime,
          late,
          apologies,
          source: 'form',
          created_at: '2026-07-01T00:00:00.000Z',
          updated_at: '2026-07-01T00:00:00.000Z',
        });
    await figure('2026-01-01', '2026-06-30', 200, 50, 140, 10, 10);
    await figure('2026-07-01', '2026-09-30', 100, 20, 80, 0, 0);
    // A period of the year before is not counted.
    await figure('2025-07-01', '2025-12-31', 999, 0, 0, 999, 999);
    const { pdf, pages, plain } = await render(
      'yearly-report',
      'DNO-CJ-ND',
      { year: 2026 },
      {
        difficulties: 'Đường truyền mạng ở xã còn chậm, ảnh hưởng đến việc tiếp nhận hồ sơ trực tuyến.',
        proposals: 'Đề nghị Sở Khoa học và Công nghệ tổ chức tập huấn đánh giá nội bộ.',
      },
    );
    keepFirstPage(pdf, `yearly-report-${ctx().dialect}`);
    expectLetterhead(plain, '01/BC-UBND');
    const all = squash(pages.join(' '));
    for (const s of [
      'BÁO CÁO',
      'Kết quả xây dựng, áp dụng, duy trì và cải tiến Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001:2015 năm 2026',
      // Four procedures of the suite and the one the re-declaration test added; QT-02 was revised.
      'Số quy trình đang có hiệu lực: 5; ban hành mới trong năm: 4; sửa đổi, ban hành lại trong năm: 1.',
      '12/06/2026',
      '62,5%',
      'Số điểm không phù hợp phát hiện qua đánh giá, kiểm tra: 3 (nặng: 1; nhẹ: 1; khuyến nghị: 1).',
      'II. TỒN TẠI, KHÓ KHĂN',
      'Đường truyền mạng ở xã còn chậm',
      'III. KIẾN NGHỊ, ĐỀ XUẤT',
      'Đề nghị Sở Khoa học và Công nghệ tổ chức tập huấn',
      'Nơi nhận:',
      '- Lưu: VT.',
    ]) {
      expect(all, s).to.contain(s);
    }
    expect(all).not.to.contain('12/06/2025');
    expect(all).to.contain(
      'Số hồ sơ phải giải quyết: 300; giải quyết trước hạn: 70; đúng hạn: 220; trễ hạn: 10. Tỷ lệ giải quyết đúng và trước hạn: 96,7%. Số văn bản xin lỗi đã gửi: 10.',
    );
  });

  it('prints the internal audit report of a submitted check, and refuses a check not yet submitted', async () => {
    const auditor = (await ctx().userWith('inspector', 'DNO-CJ-ND')).user;
    const checkId = await auditCheck(ctx(), 'DNO-CJ-ND', '2026-09-20', { auditorId: auditor.id });
    const { pdf, pages, plain } = await render('audit-report', 'DNO-CJ-ND', { sourceId: checkId });
    keepFirstPage(pdf, `audit-report-${ctx().dialect}`);
    expectLetterhead(plain, '01/BC-UBND');
    const all = squash(pages.join(' '));
    for (const s of [
      'Kết quả đánh giá nội bộ Hệ thống quản lý chất lượng ngày 20/09/2026',
      'Đánh giá nội bộ HTQLCL',
      auditor.fullName,
      'Điểm đánh giá: 62,5%',
      'Chính sách chất lượng được phổ biến đến',
      'Nặng (không phù hợp',
      'Mục tiêu chất lượng được theo dõi hằng',
      'Khuyến nghị (lưu ý)',
      'TM. ĐOÀN ĐÁNH GIÁ',
      'TRƯỞNG ĐOÀN',
    ]) {
      expect(all, s).to.contain(s);
    }
    const open = await auditCheck(ctx(), 'DNO-CJ-ND', '2026-10-01', { status: 'in_progress' });
    const before = await ctx().db('documents').count({ n: '*' });
    try {
      await docs.prepare(officer, await ctx().unitId('DNO-CJ-ND'), { type: 'audit-report', sourceId: open });
      expect.fail('prepared from an open check');
    } catch (err) {
      expect((err as { code?: string }).code).to.equal('DOCUMENT_REFUSED');
    }
    expect(await ctx().db('documents').count({ n: '*' })).to.deep.equal(before);
  });
});

forEachDatabase('documents: records printed from reviews and inspections', (ctx) => {
  let docs: DocumentsService;
  let officer: Actor;

  before(async function () {
    this.timeout(60_000);
    await seedTree(ctx());
    docs = ctx().built.services.documents;
    officer = { user: (await ctx().userWith('officer', 'DNO-CJ-ND')).user };
  });

  async function render(type: string, sourceId: number) {
    const d = await docs.prepare(officer, await ctx().unitId('DNO-CJ-ND'), { type, sourceId });
    const { pdf } = await docs.preview(officer, d.id);
    return { doc: d, pdf, all: squash(pdfPages(pdf).join(' ')), plain: pdfPlain(pdf) };
  }

  it('prints the management review minutes from a final review, and refuses a draft one', async () => {
    const { pdf, all, plain } = await render('review-minutes', await managementReview(ctx(), 'DNO-CJ-ND'));
    keepFirstPage(pdf, `review-minutes-${ctx().dialect}`);
    expect(plain).to.contain('\nSố: 01/BB-UBND\n');
    expect(plain).to.match(/\nNam Dong, ngày \d{2} tháng \d{1,2} năm 2026\n/);
    for (const s of [
      'BIÊN BẢN',
      'Họp xem xét của lãnh đạo về Hệ thống quản lý chất lượng ngày 05/09/2026',
      'Chủ trì: Nguyễn Văn Chủ.',
      'Thành phần tham dự: Lãnh đạo UBND xã, Văn phòng - Thống kê, Tư pháp - Hộ tịch.',
      '12/06/2026',
      'Đánh giá nội bộ HTQLCL',
      '62,5%',
      'Nặng: 1 chưa khắc phục, 0 đã khắc phục',
      'Hành động khắc phục: tổng số 2; quá hạn 1.',
      'Tỷ lệ hồ sơ giải quyết đúng hạn',
      'Không đạt',
      'Ban hành QT-04/ND-DD Quy trình cấp giấy xác nhận tình trạng hôn nhân (01/02/2026)',
      'Bổ sung nhân lực cho Bộ phận một cửa.',
      'Rà soát lại quy trình đăng ký khai sinh trước ngày 30/10/2026.',
      'CHỦ TRÌ CUỘC HỌP',
      'Nguyễn Văn Chủ',
      'Nơi nhận:',
      '- Lưu: VT.',
    ]) {
      expect(all, s).to.contain(s);
    }
    const draft = await managementReview(ctx(), 'DNO-CJ-ND', 'draft');
    await rejectsCode(docs.prepare(officer, await ctx().unitId('DNO-CJ-ND'), { type: 'review-minutes', sourceId: draft }), 'DOCUMENT_REFUSED');
  });

  it("prints the inspection record with counts of personal violations but never the officials' names", async () => {
    const { pdf, all, plain } = await render('inspection-record', await inspection(ctx(), 'DNO-CJ-ND', 'record_closed'));
    keepFirstPage(pdf, `inspection-record-${ctx().dialect}`);
    expect(plain).to.contain('\nSố: 01/BB-UBND\n');
    for (const s of [
      'BIÊN BẢN',
      'Kiểm tra đột xuất việc thực hiện kỷ luật, kỷ cương hành chính, văn hóa công vụ',
      'Vào lúc 07:35 ngày 14/10/2026, Đoàn kiểm tra số 2 của Sở Nội vụ',
      'Kiểm tra kỷ luật, kỷ cương hành chính',
      'Đại diện Đoàn kiểm tra: Hoàng Văn Trưởng, Trưởng đoàn.',
      'Đại diện đơn vị được kiểm tra: Đặng Thị Đại Diện.',
      'Số cán bộ, công chức theo danh sách: 3; có mặt: 1; đi muộn: 1; vắng có lý do: 1; vắng không lý do: 0.',
      'Lịch công tác tuần được niêm yết',
      'Đi muộn 1',
      'Đeo thẻ công chức 1',
      'Biên bản kết thúc vào lúc 09:10 ngày 14/10/2026',
      'ĐOÀN KIỂM TRA',
      'TRƯỞNG ĐOÀN',
      'Hoàng Văn Trưởng',
    ]) {
      expect(all, s).to.contain(s);
    }
    for (const name of ['Vũ Văn Muộn', 'Lý Thị Quên Thẻ', 'Mai Văn Vắng']) expect(all).not.to.contain(name);
    const onSite = await inspection(ctx(), 'DNO-CJ-ND', 'on_site');
    await rejectsCode(docs.prepare(officer, await ctx().unitId('DNO-CJ-ND'), { type: 'inspection-record', sourceId: onSite }), 'DOCUMENT_REFUSED');
  });

  it('prints the conclusion notice with the conclusion and the required corrections, only once concluded', async () => {
    const { pdf, all, plain } = await render('inspection-conclusion', await inspection(ctx(), 'DNO-CJ-ND', 'concluded'));
    keepFirstPage(pdf, `inspection-conclusion-${ctx().dialect}`);
    expect(plain).to.contain('\nSố: 01/TB-UBND\n');
    for (const s of [
      'THÔNG BÁO',
      'Kết luận kiểm tra đột xuất ngày 14/10/2026',
      'Đơn vị cơ bản chấp hành tốt kỷ luật, kỷ cương hành chính.',
      'Còn công chức đi muộn, không đeo thẻ.',
      '3. Yêu cầu khắc phục',
      'Niêm yết lịch công tác tuần tại bảng tin',
      '05/11/2026',
      'Chấn chỉnh việc đeo thẻ công chức',
      '15/11/2026',
      'TM. ĐOÀN KIỂM TRA',
    ]) {
      expect(all, s).to.contain(s);
    }
    const closed = await inspection(ctx(), 'DNO-CJ-ND', 'record_closed');
    await rejectsCode(docs.prepare(officer, await ctx().unitId('DNO-CJ-ND'), { type: 'inspection-conclusion', sourceId: closed }), 'DOCUMENT_REFUSED');
    // An inspection of another unit is not a source of this one's documents.
    const other = await inspection(ctx(), 'DNO-CJ-ET', 'concluded');
    await rejectsCode(docs.prepare(officer, await ctx().unitId('DNO-CJ-ND'), { type: 'inspection-conclusion', sourceId: other }), 'VALIDATION_FAILED');
  });
});

describe('documents: the layout engine on its own', () => {
  const head = { parentBody: null, issuingBody: 'SỞ NỘI VỤ', number: '01/TB-SNV', placeDate: 'Gia Nghĩa, ngày 05 tháng 12 năm 2026' };
  const opts = { createdAt: new Date('2026-12-05T02:00:00Z'), title: 't', author: 'a' };

  it('cuts a table cell taller than a page with an ellipsis instead of running it onto the next page', async () => {
    const long = Array.from({ length: 2000 }, (_, i) => `từ${i}`).join(' ');
    const pdf = await renderDocument(
      head,
      {
        typeTitle: 'THÔNG BÁO',
        subject: 'Bảng có ô rất dài',
        signer: { title: 'Giám đốc', name: 'Lê Văn Sở' },
        recipients: [],
        body: [
          {
            kind: 'table',
            columns: [
              { header: 'TT', width: 10 },
              { header: 'Nội dung', width: 90 },
            ],
            rows: [
              ['1', 'Dòng ngắn'],
              ['2', long],
              ['3', 'Dòng sau ô dài'],
            ],
          },
        ],
      },
      opts,
    );
    const words = pdfWords(pdf);
    const bottomEdge = 841.89 - 20 * mm + 0.5;
    expect(
      words.filter((w) => w.yMax > bottomEdge && !(w.page > 1 && w.yMax < 20 * mm)),
      'nothing below the bottom margin',
    ).to.deep.equal([]);
    const pages = pdfPages(pdf);
    expect(
      pages.filter((p) => p.includes('từ0')),
      'the long cell on one page',
    ).to.have.length(1);
    expect(pages.join('')).not.to.contain('từ1999');
    expect(pages.join('')).to.contain('Dòng sau ô dài');
    // Every row starts on a page where it ends: the header row is repeated before row 3.
    expect(pages.filter((p) => /TT\s+Nội dung/.test(p)).length).to.equal(pages.filter((p) => /Dòng|từ0/.test(p)).length);
  });
});

describe('documents: the text layer of one document after another', () => {
  it('reads back every letter even when an earlier document drew it only as part of another (ơ inside ở)', async () => {
    const head = { parentBody: null, issuingBody: 'SỞ NỘI VỤ', number: '01/TB-SNV', placeDate: 'Gia Nghĩa, ngày 05 tháng 12 năm 2026' };
    const content = (text: string) => ({
      typeTitle: 'THÔNG BÁO',
      subject: text,
      body: [{ kind: 'paragraph' as const, text }],
      signer: { title: 'Giám đốc', name: 'Lê Văn Sở' },
      recipients: [],
    });
    const opts = { createdAt: new Date('2026-12-05T02:00:00Z'), title: 't', author: 'a' };
    await renderDocument(head, content('Sở ở đời thời mới'), opts);
    const second = pdfPlain(await renderDocument(head, content('Kỷ cương hành chính, văn hóa công vụ, người dân'), opts));
    expect(squash(second)).to.contain('Kỷ cương hành chính, văn hóa công vụ, người dân');
  });
});

async function rejectsCode(p: Promise<unknown>, code: string): Promise<void> {
  try {
    await p;
  } catch (err) {
    expect((err as { code?: string }).code).to.equal(code);
    return;
  }
  expect.fail(`expected ${code}`);
}
