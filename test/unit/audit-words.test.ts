import { expect } from 'chai';
import { auditActions, auditEntities } from '../../src/kernel/audit-words.ts';
import { Translator } from '../../src/lib/i18n.ts';
import { changesOf, type Words } from '../../src/modules/audit/audit.changes.ts';

const translator = new Translator();
const vi: Words = { t: translator.bind('vi'), has: (k) => translator.has('vi', k) };

describe('the audit log’s words', () => {
  it('name every action and kind of record writeAudit accepts, in Vietnamese and in English', () => {
    const missing = [...auditActions.map((a) => `audit.actions.${a}`), ...auditEntities.map((e) => `audit.entities.${e}`)].flatMap((key) =>
      (['vi', 'en'] as const).filter((l) => !translator.has(l, key)).map((l) => `${l}:${key}`),
    );
    expect(missing).to.deep.equal([]);
  });

  it('lists only the fields that changed, with their labels and values in words', () => {
    const lines = changesOf(
      {
        entity: 'unit',
        before: { isoState: 'building', isoStateReason: 'Bắt đầu', updatedAt: '2026-03-01T00:00:00.000Z', name: 'Xã Nam Dong' },
        after: { isoState: 'declared', isoStateReason: 'Đã công bố', updatedAt: '2026-03-02T00:00:00.000Z', name: 'Xã Nam Dong' },
      },
      vi,
    );
    expect(lines).to.deep.equal([
      { label: 'Trạng thái ISO', before: 'Đang xây dựng', after: 'Đã công bố' },
      { label: 'Lý do', before: 'Bắt đầu', after: 'Đã công bố' },
    ]);
  });

  it('shows a new record by its fields, in local time, days as DD/MM/YYYY, numbers with a decimal comma, and hides row numbers', () => {
    const lines = changesOf(
      {
        entity: 'procedure',
        before: null,
        after: {
          status: 'in_review',
          issueDate: '2026-12-15',
          signedOffAt: '2026-12-15T01:45:00.000Z',
          legalDays: 2.5,
          teamId: 7,
          isActive: true,
          steps: [{}, {}],
        },
      },
      vi,
    );
    expect(lines).to.deep.equal([
      { label: 'Trạng thái', after: 'Đang xem xét' },
      { label: 'Ngày ban hành', after: '15/12/2026' },
      { label: 'Thời điểm ký xác nhận', after: '15/12/2026 08:45' },
      { label: 'Thời hạn giải quyết (ngày làm việc)', after: '2,5' },
      { label: 'Đang hoạt động', after: 'Có' },
      { label: 'Các bước', after: '2 mục' },
    ]);
  });
});
