import type { Knex } from 'knex';
import type { AppConfig } from '../config/config.ts';
import type { Clock } from '../lib/clock.ts';
import { randomToken } from '../auth/password.ts';
import type { Actor } from '../lib/actor.ts';
import type { Role, SessionUser } from '../auth/roles.ts';
import { UnitsService } from '../modules/units/units.service.ts';
import { UsersService } from '../modules/users/users.service.ts';
import type { IsoStandard, IsoState, UnitKind } from '../modules/units/units.types.ts';

/**
 * Demo data: Đắk Nông province with Cư Jút district and its commune-level units as they stood
 * before the 2025 reform, and a 2025 merger into a new commune; Lai Châu with part of Tân Uyên,
 * to show that a coordinator of one province cannot see another. The 2025 merger below is an
 * illustration for the demo, not the official reorganisation plan.
 */
export interface DemoAccount { username: string; password: string; role: Role; unit: string }

export async function seedDemo(db: Knex, clock: Clock, config: AppConfig): Promise<DemoAccount[]> {
  if (await db('units').where('code', 'DNO').first('id')) throw new Error('The demo is already loaded (unit DNO exists).');
  const users = new UsersService(db, clock, config);
  const units = new UnitsService(db, clock);
  const adminName = (await db('users').where('username', 'admin').first('id')) ? 'demo.admin' : 'admin';
  const accounts: DemoAccount[] = [];
  const pw = () => randomToken(9);
  const adminPw = pw();
  const admin = await users.create(undefined, { username: adminName, fullName: 'Quản trị hệ thống', password: adminPw }, { admin: true });
  accounts.push({ username: adminName, password: adminPw, role: 'admin', unit: '-' });
  const actor: Actor = { user: admin as SessionUser };

  const ids = new Map<string, number>();
  const add = async (code: string, name: string, kind: UnitKind, parent: string | null, placeName: string, extra: { activeFrom?: string; iso?: [IsoState, IsoStandard | '', string] } = {}) => {
    const u = await units.create(actor, { code, name, kind, parentId: parent ? ids.get(parent) : undefined, placeName, activeFrom: extra.activeFrom });
    ids.set(code, u.id);
    if (extra.iso) await units.setIsoState(actor, u.id, { state: extra.iso[0], standard: extra.iso[1], reason: extra.iso[2] });
    return u;
  };

  await add('DNO', 'Tỉnh Đắk Nông', 'province', null, 'Gia Nghĩa');
  await add('DNO-SKHCN', 'Sở Khoa học và Công nghệ tỉnh Đắk Nông', 'department', 'DNO', 'Gia Nghĩa',
    { iso: ['declared', '2015', 'Đã công bố HTQLCL phù hợp TCVN ISO 9001:2015'] });
  await add('DNO-CUJUT', 'Huyện Cư Jút', 'district', 'DNO', 'Cư Jút', { activeFrom: '2001-06-21' });
  const declared: [IsoState, IsoStandard, string] = ['declared', '2015', 'Đã công bố HTQLCL phù hợp TCVN ISO 9001:2015'];
  const moving: [IsoState, IsoStandard, string] = ['building', '2008', 'Đang chuyển đổi từ TCVN ISO 9001:2008 sang TCVN ISO 9001:2015'];
  const communes: Array<[string, string, UnitKind, string, [IsoState, IsoStandard, string]]> = [
    ['DNO-CUJUT-EATLING', "Thị trấn Ea T'ling", 'town', "Ea T'ling", moving],
    ['DNO-CUJUT-NAMDONG', 'Xã Nam Dong', 'commune', 'Nam Dong', moving],
    ['DNO-CUJUT-CUKNIA', 'Xã Cư Knia', 'commune', 'Cư Knia', declared],
    ['DNO-CUJUT-DAKDRONG', 'Xã Đắk Drông', 'commune', 'Đắk Drông', declared],
    ['DNO-CUJUT-DAKWIL', 'Xã Đắk Wil', 'commune', 'Đắk Wil', declared],
    ['DNO-CUJUT-EAPO', 'Xã Ea Pô', 'commune', 'Ea Pô', declared],
    ['DNO-CUJUT-TAMTHANG', 'Xã Tâm Thắng', 'commune', 'Tâm Thắng', declared],
    ['DNO-CUJUT-TRUCSON', 'Xã Trúc Sơn', 'commune', 'Trúc Sơn', declared],
  ];
  for (const [code, name, kind, place, iso] of communes) await add(code, name, kind, 'DNO-CUJUT', place, { iso });

  // 1 July 2025: communes merged into new commune-level units directly under the province; the
  // district tier ends the same day.
  const merged: Array<[string, string, string, string[]]> = [
    ['DNO-NAMDONG', 'Xã Nam Dong', 'Nam Dong', ['DNO-CUJUT-NAMDONG', 'DNO-CUJUT-DAKDRONG']],
    ['DNO-CUJUT-XA', 'Xã Cư Jút', 'Cư Jút', ['DNO-CUJUT-EATLING', 'DNO-CUJUT-TAMTHANG', 'DNO-CUJUT-TRUCSON']],
    ['DNO-EAPO', 'Xã Ea Pô', 'Ea Pô', ['DNO-CUJUT-EAPO', 'DNO-CUJUT-CUKNIA', 'DNO-CUJUT-DAKWIL']],
  ];
  for (const [code, name, place, sources] of merged) {
    const u = await add(code, name, 'commune', 'DNO', place);
    await units.merge(actor, u.id, { sources: sources.join(','), date: '2025-07-01' });
    await units.setIsoState(actor, u.id, { state: 'needs_redeclaration', standard: '2015', reason: 'Sáp nhập đơn vị hành chính cấp xã từ ngày 01/07/2025: phạm vi áp dụng thay đổi' });
  }
  await units.update(actor, ids.get('DNO-CUJUT') as number, { code: 'DNO-CUJUT', name: 'Huyện Cư Jút', kind: 'district', placeName: 'Cư Jút', activeFrom: '2001-06-21', activeTo: '2025-07-01' });

  await add('LCA', 'Tỉnh Lai Châu', 'province', null, 'Lai Châu');
  await add('LCA-TANUYEN', 'Huyện Tân Uyên', 'district', 'LCA', 'Tân Uyên');
  for (const [code, name, kind, place] of [
    ['LCA-TANUYEN-TT', 'Thị trấn Tân Uyên', 'town', 'Tân Uyên'],
    ['LCA-TANUYEN-PHUCKHOA', 'Xã Phúc Khoa', 'commune', 'Phúc Khoa'],
    ['LCA-TANUYEN-MUONGKHOA', 'Xã Mường Khoa', 'commune', 'Mường Khoa'],
  ] as Array<[string, string, UnitKind, string]>) await add(code, name, kind, 'LCA-TANUYEN', place, { iso: declared });

  const people: Array<[string, string, Role, string]> = [
    ['dieuphoi.daknong', 'Nguyễn Văn Điều', 'coordinator', 'DNO'],
    ['canbo.namdong', 'Trần Thị Hoa', 'officer', 'DNO-NAMDONG'],
    ['lanhdao.namdong', 'Lê Văn Lãnh', 'leader', 'DNO-NAMDONG'],
    ['kiemtra.daknong', 'Phạm Minh Kiểm', 'inspector', 'DNO'],
    ['xem.daknong', 'Võ Thị Xem', 'viewer', 'DNO'],
    ['dieuphoi.laichau', 'Hoàng Văn Châu', 'coordinator', 'LCA'],
  ];
  for (const [username, fullName, role, unit] of people) {
    const password = pw();
    const u = await users.create(actor, { username, fullName, password });
    await users.addRole(actor, u.id, { role, unitId: ids.get(unit) });
    accounts.push({ username, password, role, unit });
  }
  return accounts;
}
