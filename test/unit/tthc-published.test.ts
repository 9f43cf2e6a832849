import { expect } from 'chai';
import { daysOf, feeAmountOf, isLocalCode, levelsOf, localCodePrefix, nameKey, nationalCodeOf } from '../../src/modules/catalog/tthc.published.ts';

describe('reading a published TTHC list', () => {
  it('keeps the national code of a portal code and refuses anything else', () => {
    expect(nationalCodeOf('1.001612.000.00.00.H01')).to.equal('1.001612');
    expect(nationalCodeOf(' 2.000815 ')).to.equal('2.000815');
    expect(nationalCodeOf('1.00161')).to.equal(undefined);
    expect(nationalCodeOf('HT-01')).to.equal(undefined);
  });

  it('proposes local codes by province and field, and knows them again', () => {
    expect(localCodePrefix('DNO', 'Bảo trợ xã hội')).to.equal('DNO-BTXH');
    expect(isLocalCode('DNO-BTXH-001', 'DNO')).to.equal(true);
    expect(isLocalCode('LCA-BTXH-001', 'DNO')).to.equal(false);
    expect(nameKey('Đăng ký  khai sinh!')).to.equal(nameKey('đăng ký khai sinh'));
  });

  it('reads several levels, setting aside the ones the system does not have', () => {
    expect(levelsOf('Cấp Tỉnh, Cấp Xã')).to.deep.equal({ levels: ['province', 'commune'], unknown: [] });
    expect(levelsOf('Cấp Bộ; Cấp Xã')).to.deep.equal({ levels: ['commune'], unknown: ['Cấp Bộ'] });
  });

  it('reads working days from every time-text shape, and none from what states none', () => {
    expect(daysOf('10 ngày làm việc')).to.deep.equal([10]);
    expect(daysOf('15 ngày')).to.deep.equal([15]);
    expect(daysOf('Trong ngày')).to.deep.equal([0]);
    expect(daysOf('Ngay trong ngày')).to.deep.equal([0]);
    expect(daysOf('trong ngày làm việc')).to.deep.equal([0]);
    expect(daysOf('10 ngày làm việc đối với trường hợp A, 15 ngày làm việc đối với trường hợp B')).to.deep.equal([10, 15]);
    expect(daysOf('05 (năm) ngày làm việc')).to.deep.equal([5]);
    expect(daysOf('Theo quy định của pháp luật')).to.deep.equal([]);
    expect(daysOf('04 giờ làm việc')).to.deep.equal([]);
  });

  it('reads a fee in đồng where it states one', () => {
    expect(feeAmountOf('50.000 đồng')).to.equal(50000);
    expect(feeAmountOf('50,000đ')).to.equal(50000);
    expect(feeAmountOf('Miễn phí')).to.equal(0);
    expect(feeAmountOf('Không')).to.equal(0);
    expect(feeAmountOf('Trực tiếp: 50.000 đồng; Trực tuyến: 25.000 đồng')).to.equal(null);
    expect(feeAmountOf('Theo quy định')).to.equal(null);
  });
});
