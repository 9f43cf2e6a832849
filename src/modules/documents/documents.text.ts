import type { DocumentDefinition, DocumentUnit } from '../../plugins/contract.ts';

/** Wording rules of NĐ 30/2020 shared by every document type. */

const administrative = new Set(['province', 'district', 'commune', 'ward', 'town', 'special_zone']);

/** The body that issues in a unit's name: its People's Committee, or the department itself. */
export function bodyName(name: string, kind: string | null): string {
  return kind && administrative.has(kind)
    ? `Ủy ban nhân dân ${name.replace(/^(Tỉnh|Thành phố|Huyện|Xã|Phường|Thị trấn|Thị xã|Quận|Đặc khu)\s/u, (m) => m.toLowerCase())}`
    : name;
}

/** `ỦY BAN NHÂN DÂN XÃ NAM DONG`. */
export function issuingBody(u: DocumentUnit): string {
  return bodyName(u.name, u.kind).toUpperCase();
}

export function parentBody(u: DocumentUnit): string | null {
  return u.parentName ? bodyName(u.parentName, u.parentKind).toUpperCase() : null;
}

/** The issuing body's abbreviation in the number: UBND, or the department's initials. */
export function bodyAbbreviation(u: DocumentUnit): string {
  if (administrative.has(u.kind)) return 'UBND';
  const initials = u.name
    .normalize('NFC')
    .split(/\s+/)
    .filter((w) => w && w[0] === w[0]!.toUpperCase())
    .map((w) => w[0])
    .join('');
  return initials || 'CQ';
}

export const formAbbreviation: Record<DocumentDefinition['form'], string> = { decision: 'QĐ', report: 'BC', record: 'BB', notice: 'TB' };
export const formTitle: Record<DocumentDefinition['form'], string> = { decision: 'QUYẾT ĐỊNH', report: 'BÁO CÁO', record: 'BIÊN BẢN', notice: 'THÔNG BÁO' };

/** `05/QĐ-UBND`: numbers below 10 get a leading zero. */
export function numberText(seq: number, suffix: string): string {
  return `${String(seq).padStart(2, '0')}/${suffix}`;
}

/** `ngày 05 tháng 02 năm 2026`: a leading zero for days below 10 and for January and February. */
export function longDate(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return `ngày ${String(d).padStart(2, '0')} tháng ${m < 3 ? String(m).padStart(2, '0') : m} năm ${y}`;
}

/** `Nam Dong, ngày 15 tháng 12 năm 2026`: the unit's place name, else its name. */
export function placeDate(u: DocumentUnit, day: string): string {
  return `${u.placeName || u.name}, ${longDate(day)}`;
}

/** `dd/mm/yyyy`, as tables print dates. */
export function shortDate(day: string | null | undefined): string {
  if (!day) return '';
  const [y, m, d] = day.slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
}

/** The defaults every decision starts from: the chairman signs on behalf of the committee. */
export function signerDefaults(u: DocumentUnit): { authority: string; signerOnBehalf: string; signerTitle: string } {
  if (administrative.has(u.kind)) return { authority: `Chủ tịch ${bodyName(u.name, u.kind)}`, signerOnBehalf: 'TM. Ủy ban nhân dân', signerTitle: 'Chủ tịch' };
  return { authority: `Giám đốc ${u.name}`, signerOnBehalf: '', signerTitle: 'Giám đốc' };
}

/** `- Lưu: VT.` closes every list of recipients. */
export function recipientsWithArchive(list: string[]): string[] {
  return [...list, 'Lưu: VT.'];
}

/** ASCII file names: diacritics off, đ -> d, anything else to a hyphen. */
export function asciiName(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\w.-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}
