import { expect } from 'chai';
import { declarationChecks, missingText, systemProcedures, type DeclarationFacts } from '../../src/modules/documents/declaration-checks.ts';

/** What a declaration checks before it is issued, read from plain facts. */
describe('declaration checks', () => {
  const ready: DeclarationFacts = {
    unitId: 7,
    tthcWithoutProcess: [],
    issuedKinds: ['tthc', ...systemProcedures.map((p) => p.kind)],
    lastInternalAudit: '2026-02-10',
    lastReview: '2026-01-20',
    openMajors: 0,
  };
  const status = (f: DeclarationFacts, date = '2026-03-02', yearAgo = '2025-03-02') =>
    Object.fromEntries(declarationChecks(f, date, yearAgo).map((c) => [c.key, c.met]));

  it('finds a ready unit meeting every check, each with a link to where it is done, and nothing missing', () => {
    const checks = declarationChecks(ready, '2026-03-02', '2025-03-02');
    expect(checks.map((c) => [c.key, c.met])).to.deep.equal([
      ['tthc_processes', true],
      ['system_procedures', true],
      ['internal_audit', true],
      ['management_review', true],
      ['no_open_major', true],
    ]);
    expect(checks.map((c) => c.href)).to.deep.equal(['/units/7/catalog', '/units/7/catalog', '/units/7/checks', '/units/7/reviews', '/units/7/checks']);
    expect(missingText(checks)).to.equal('');
  });

  it('names the TTHC without an issued process', () => {
    const f = { ...ready, tthcWithoutProcess: [{ code: '1.001193', name: 'Đăng ký khai sinh' }] };
    expect(status(f).tthc_processes).to.equal(false);
    expect(missingText(declarationChecks(f, '2026-03-02', '2025-03-02'))).to.contain('1.001193 Đăng ký khai sinh');
  });

  it('names each system procedure not issued, with its clause', () => {
    const f = { ...ready, issuedKinds: ['tthc', 'document_control', 'internal_audit', 'management_review'] };
    expect(status(f).system_procedures).to.equal(false);
    const text = missingText(declarationChecks(f, '2026-03-02', '2025-03-02'));
    expect(text).to.contain('Sự không phù hợp và hành động khắc phục (10.2)');
    expect(text).to.contain('Rủi ro và cơ hội (6.1)');
    expect(text).not.to.contain('(7.5)');
  });

  it('wants an internal audit and a final review within the 12 months before the document date, not after it', () => {
    expect(status({ ...ready, lastInternalAudit: null }).internal_audit).to.equal(false);
    expect(status({ ...ready, lastInternalAudit: '2025-03-01' }).internal_audit).to.equal(false);
    expect(status({ ...ready, lastInternalAudit: '2025-03-02' }).internal_audit).to.equal(true);
    expect(status({ ...ready, lastReview: '2026-03-05' }).management_review).to.equal(false);
    expect(status({ ...ready, lastReview: null }).management_review).to.equal(false);
  });

  it('counts the open major findings', () => {
    const f = { ...ready, openMajors: 2 };
    expect(status(f).no_open_major).to.equal(false);
    expect(missingText(declarationChecks(f, '2026-03-02', '2025-03-02'))).to.equal('Còn 2 điểm không phù hợp nặng chưa khắc phục');
  });
});
