import { expect } from 'chai';
import { carryGroups, lineageLabel, proposeCode, type SourceProcedure, type SourceTthc } from '../../src/modules/merger/merger.logic.ts';

const tthc = (unitId: number, tthcId: number, code: string, name: string): SourceTthc => ({ unitId, tthcId, code, name, field: 'Hộ tịch' });
const proc = (
  id: number,
  unitId: number,
  code: string,
  tthc: { id: number | null; code: string | null; name: string | null },
  revisionNo: number,
  issueDate: string,
): SourceProcedure => ({
  id,
  unitId,
  unitName: `Đơn vị ${unitId}`,
  code,
  title: `Quy trình ${code}`,
  tthcId: tthc.id,
  tthcCode: tthc.code,
  tthcName: tthc.name,
  revisionId: id * 10,
  revisionNo,
  issueDate,
  steps: 3,
});

describe('carry-over rules', () => {
  it('puts two predecessors holding the same coded TTHC in one group, the most recent revision proposed', () => {
    const groups = carryGroups(
      [tthc(1, 11, '1.001193', 'Đăng ký khai sinh'), tthc(2, 11, '1.001193', 'Đăng ký khai sinh')],
      [
        proc(100, 1, 'QT-01/ND-HT', { id: 11, code: '1.001193', name: 'Đăng ký khai sinh' }, 2, '2025-03-01'),
        proc(200, 2, 'QT-05/ET-HT', { id: 11, code: '1.001193', name: 'Đăng ký khai sinh' }, 3, '2025-05-10'),
      ],
    );
    expect(groups).to.have.length(1);
    expect(groups[0]!.procedures.map((p) => p.id)).to.deep.equal([200, 100]);
    expect(groups[0]!.proposedId).to.equal(200);
  });

  it('matches uncoded TTHC by their name, whatever the diacritics, case and spacing', () => {
    const groups = carryGroups([tthc(1, 21, '', 'Xác nhận tình trạng hôn nhân'), tthc(2, 22, '', '  xac nhan  tinh trang hon nhan ')], []);
    expect(groups).to.have.length(1);
    expect(groups[0]!.tthc.map((t) => t.tthcId)).to.deep.equal([21, 22]);
    expect(groups[0]!.proposedId).to.equal(null);
  });

  it('keeps different TTHC apart, coded ones first by code', () => {
    const groups = carryGroups(
      [tthc(1, 12, '2.000815', 'Chứng thực bản sao'), tthc(1, 11, '1.001193', 'Đăng ký khai sinh'), tthc(2, 30, '', 'Thủ tục riêng')],
      [],
    );
    expect(groups.map((g) => g.tthcCode ?? g.tthcName)).to.deep.equal(['1.001193', '2.000815', 'Thủ tục riêng']);
  });

  it("proposes the source's prefix over the new unit's code, the next free number when taken", () => {
    expect(proposeCode('QT-05/PK-HT', 'XNDM', new Set())).to.equal('QT-05/XNDM');
    expect(proposeCode('QT-05/PK-HT', 'XNDM', new Set(['QT-05/XNDM', 'QT-06/XNDM']))).to.equal('QT-07/XNDM');
    expect(proposeCode('QTNB/ND', 'XNDM', new Set(['QTNB/XNDM']))).to.equal('QTNB-01/XNDM');
  });

  it('names the lineage by the source code and its revision', () => {
    expect(lineageLabel({ code: 'QT-05/PK-HT', revisionNo: 3 })).to.equal('QT-05/PK-HT lần 3');
  });
});
