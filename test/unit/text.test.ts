import { expect } from 'chai';
import { foldForSearch } from '../../src/lib/text.ts';
import { isCalendarDate, vnDate } from '../../src/lib/time.ts';

describe('search folding', () => {
  it('lets a search typed without diacritics find Vietnamese names', () => {
    expect(foldForSearch('Đăng ký khai sinh')).to.equal('dang ky khai sinh');
    expect(foldForSearch("  Thị trấn  Ea T'ling ")).to.equal("thi tran ea t'ling");
    expect(foldForSearch('XÃ ĐẮK DRÔNG')).to.equal('xa dak drong');
  });

  it('folds composed and decomposed input alike', () => {
    expect(foldForSearch('Nguyễn'.normalize('NFD'))).to.equal(foldForSearch('Nguyễn'.normalize('NFC')));
  });
});

describe('calendar dates', () => {
  it('accepts real days and refuses impossible ones', () => {
    expect(isCalendarDate('2025-07-01')).to.equal(true);
    expect(isCalendarDate('2025-02-30')).to.equal(false);
    expect(isCalendarDate('01/07/2025')).to.equal(false);
  });

  it('gives the Vietnamese calendar day (UTC+7) for a UTC instant', () => {
    expect(vnDate(new Date('2026-12-31T18:00:00Z'))).to.equal('2027-01-01');
  });
});
