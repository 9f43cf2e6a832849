import type { Knex } from 'knex';
import type { AppConfig } from '../config/config.ts';
import type { Clock } from '../lib/clock.ts';
import { randomToken } from '../auth/password.ts';
import type { Actor } from '../lib/actor.ts';
import type { Role, SessionUser } from '../auth/roles.ts';
import { createCatalogServices } from '../modules/catalog/catalog.build.ts';
import { UnitsService } from '../modules/units/units.service.ts';
import { UsersService } from '../modules/users/users.service.ts';
import type { IsoStandard, IsoState, UnitKind } from '../modules/units/units.types.ts';
import { seedChecksDemo } from '../modules/checks/demo.ts';
import { seedInspectionsDemo } from '../modules/inspections/demo.ts';
import { seedOnTimeDemo } from '../modules/ontime/ontime.demo.ts';
import { seedDocumentsDemo } from '../modules/documents/documents.demo.ts';

/**
 * Demo data: Đắk Nông province with Cư Jút district and its commune-level units as they stood
 * before the 2025 reform, and a 2025 merger into a new commune; Lai Châu with part of Tân Uyên,
 * to show that a coordinator of one province cannot see another. The 2025 merger below is an
 * illustration for the demo, not the official reorganisation plan.
 */
export interface DemoAccount {
  username: string;
  password: string;
  role: Role;
  unit: string;
}

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
  const add = async (
    code: string,
    name: string,
    kind: UnitKind,
    parent: string | null,
    placeName: string,
    extra: { activeFrom?: string; iso?: [IsoState, IsoStandard | '', string] } = {},
  ) => {
    const u = await units.create(actor, { code, name, kind, parentId: parent ? ids.get(parent) : undefined, placeName, activeFrom: extra.activeFrom });
    ids.set(code, u.id);
    if (extra.iso) await units.setIsoState(actor, u.id, { state: extra.iso[0], standard: extra.iso[1], reason: extra.iso[2] });
    return u;
  };

  await add('DNO', 'Tỉnh Đắk Nông', 'province', null, 'Gia Nghĩa');
  await add('DNO-SKHCN', 'Sở Khoa học và Công nghệ tỉnh Đắk Nông', 'department', 'DNO', 'Gia Nghĩa', {
    iso: ['declared', '2015', 'Đã công bố HTQLCL phù hợp TCVN ISO 9001:2015'],
  });
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
    await units.setIsoState(actor, u.id, {
      state: 'needs_redeclaration',
      standard: '2015',
      reason: 'Sáp nhập đơn vị hành chính cấp xã từ ngày 01/07/2025: phạm vi áp dụng thay đổi',
    });
  }
  await units.update(actor, ids.get('DNO-CUJUT') as number, {
    code: 'DNO-CUJUT',
    name: 'Huyện Cư Jút',
    kind: 'district',
    placeName: 'Cư Jút',
    activeFrom: '2001-06-21',
    activeTo: '2025-07-01',
  });

  await add('LCA', 'Tỉnh Lai Châu', 'province', null, 'Lai Châu');
  await add('LCA-TANUYEN', 'Huyện Tân Uyên', 'district', 'LCA', 'Tân Uyên');
  for (const [code, name, kind, place] of [
    ['LCA-TANUYEN-TT', 'Thị trấn Tân Uyên', 'town', 'Tân Uyên'],
    ['LCA-TANUYEN-PHUCKHOA', 'Xã Phúc Khoa', 'commune', 'Phúc Khoa'],
    ['LCA-TANUYEN-MUONGKHOA', 'Xã Mường Khoa', 'commune', 'Mường Khoa'],
  ] as Array<[string, string, UnitKind, string]>)
    await add(code, name, kind, 'LCA-TANUYEN', place, { iso: declared });

  const people: Array<[string, string, Role, string]> = [
    ['dieuphoi.daknong', 'Nguyễn Văn Điều', 'coordinator', 'DNO'],
    ['canbo.namdong', 'Trần Thị Hoa', 'officer', 'DNO-NAMDONG'],
    ['lanhdao.namdong', 'Lê Văn Lãnh', 'leader', 'DNO-NAMDONG'],
    ['kiemtra.daknong', 'Phạm Minh Kiểm', 'inspector', 'DNO'],
    ['xem.daknong', 'Võ Thị Xem', 'viewer', 'DNO'],
    ['dieuphoi.laichau', 'Hoàng Văn Châu', 'coordinator', 'LCA'],
  ];
  const staff: Record<string, Actor> = {};
  for (const [username, fullName, role, unit] of people) {
    const password = pw();
    const u = await users.create(actor, { username, fullName, password });
    staff[username] = { user: await users.addRole(actor, u.id, { role, unitId: ids.get(unit) }) };
    accounts.push({ username, password, role, unit });
  }

  await seedCatalog(db, clock, config, {
    coordinator: staff['dieuphoi.daknong'] as Actor,
    officer: staff['canbo.namdong'] as Actor,
    leader: staff['lanhdao.namdong'] as Actor,
    provinceId: ids.get('DNO') as number,
    namDongId: ids.get('DNO-NAMDONG') as number,
  });
  // Each area seeds its own demo records, from a function in its own module.
  await seedChecksDemo(db, clock, {
    officer: staff['canbo.namdong'] as Actor,
    leader: staff['lanhdao.namdong'] as Actor,
    unitId: ids.get('DNO-NAMDONG') as number,
  });
  await seedOnTimeDemo(db, clock, { officer: staff['canbo.namdong'] as Actor, unitId: ids.get('DNO-NAMDONG') as number });
  await seedInspectionsDemo(db, clock, {
    coordinator: staff['dieuphoi.daknong'] as Actor,
    inspector: staff['kiemtra.daknong'] as Actor,
    officer: staff['canbo.namdong'] as Actor,
    provinceId: ids.get('DNO') as number,
    unitId: ids.get('DNO-NAMDONG') as number,
    unitCode: 'DNO-NAMDONG',
  });
  await seedDocumentsDemo(db, clock, {
    officer: staff['canbo.namdong'] as Actor,
    leader: staff['lanhdao.namdong'] as Actor,
    unitId: ids.get('DNO-NAMDONG') as number,
  });
  return accounts;
}

/**
 * Đắk Nông's list of commune-level TTHC (a few of the roughly hundred a commune handles; codes in
 * the national database's format, legal times as the demo assumes them), adopted by the new Xã
 * Nam Dong, with two procedures issued through the whole sign-off and one still a draft.
 */
const demoTthc: Array<[code: string, name: string, field: string, legalDays: string, fees: string]> = [
  ['1.001193', 'Đăng ký khai sinh', 'Hộ tịch', '1', 'Miễn lệ phí đăng ký khai sinh đúng hạn'],
  ['1.000894', 'Đăng ký kết hôn', 'Hộ tịch', '5', 'Miễn lệ phí'],
  ['1.000656', 'Đăng ký khai tử', 'Hộ tịch', '1', 'Miễn lệ phí đăng ký khai tử đúng hạn'],
  ['2.000635', 'Cấp bản sao trích lục hộ tịch', 'Hộ tịch', '1', '8.000 đồng/bản sao'],
  ['2.000815', 'Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của Việt Nam cấp', 'Chứng thực', '1', '2.000 đồng/trang'],
  ['2.000908', 'Chứng thực chữ ký trong các giấy tờ, văn bản', 'Chứng thực', '1', '10.000 đồng/trường hợp'],
  ['2.000884', 'Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản', 'Chứng thực', '2', '50.000 đồng/hợp đồng, giao dịch'],
];

async function seedCatalog(
  db: Knex,
  clock: Clock,
  config: AppConfig,
  who: { coordinator: Actor; officer: Actor; leader: Actor; provinceId: number; namDongId: number },
): Promise<void> {
  const c = createCatalogServices(db, clock, config);
  const tthcIds = new Map<string, number>();
  for (const [code, name, field, legalDays, fees] of demoTthc) {
    const t = await c.tthc.create(who.coordinator, {
      provinceId: String(who.provinceId),
      code,
      name,
      field,
      level: 'commune',
      legalDays,
      fees,
      onlineLevel: 'partial',
      legalBasis:
        field === 'Hộ tịch' ? '- Luật Hộ tịch năm 2014;\n- Nghị định số 123/2015/NĐ-CP' : '- Nghị định số 23/2015/NĐ-CP về cấp bản sao từ sổ gốc, chứng thực',
    });
    tthcIds.set(code, t.id);
  }
  await c.tthc.adopt(who.officer, who.namDongId, { codes: demoTthc.map(([code]) => code).join(', ') });

  const oneStop = 'Công chức Bộ phận tiếp nhận và trả kết quả';
  const records = [{ name: 'Hồ sơ giải quyết thủ tục hành chính', keeper: 'Công chức Tư pháp - Hộ tịch', retention: 'Vĩnh viễn' }];
  const written = [
    {
      code: 'QT-01/ND-HT',
      title: 'Quy trình đăng ký khai sinh',
      kind: 'tthc',
      tthcId: String(tthcIds.get('1.001193')),
      purpose: 'Quy định trình tự, trách nhiệm giải quyết việc đăng ký khai sinh tại UBND xã Nam Dong.',
      scopeText: 'Áp dụng cho công chức Tư pháp - Hộ tịch và Bộ phận một cửa của UBND xã.',
      steps: [
        { action: 'Tiếp nhận, kiểm tra hồ sơ; viết giấy tiếp nhận và hẹn trả kết quả', responsible: oneStop, days: '0,25', output: 'Giấy tiếp nhận hồ sơ' },
        {
          action: 'Thẩm định hồ sơ, ghi Sổ đăng ký khai sinh, trình ký',
          responsible: 'Công chức Tư pháp - Hộ tịch',
          days: '0,5',
          output: 'Dự thảo Giấy khai sinh',
        },
        { action: 'Ký Giấy khai sinh', responsible: 'Chủ tịch hoặc Phó Chủ tịch UBND xã', days: '0,1', output: 'Giấy khai sinh' },
        { action: 'Trả kết quả cho người dân', responsible: oneStop, days: '0,15', output: 'Sổ theo dõi hồ sơ (mẫu 07)' },
      ],
      forms: [{ code: 'BM.HT.01', name: 'Tờ khai đăng ký khai sinh' }],
      records,
    },
    {
      code: 'QT-05/ND-CT',
      title: 'Quy trình chứng thực bản sao từ bản chính',
      kind: 'tthc',
      tthcId: String(tthcIds.get('2.000815')),
      purpose: 'Bảo đảm bản sao được chứng thực đúng với bản chính, trả kết quả trong ngày.',
      steps: [
        { action: 'Tiếp nhận bản chính và bản sao, kiểm tra giấy tờ', responsible: oneStop, days: '0,25', output: 'Phiếu thu lệ phí' },
        { action: 'Đối chiếu, ký chứng thực, đóng dấu', responsible: 'Phó Chủ tịch UBND xã', days: '0,5', output: 'Bản sao đã chứng thực' },
        { action: 'Ghi Sổ chứng thực, trả kết quả', responsible: oneStop, days: '0,25', output: 'Sổ chứng thực bản sao' },
      ],
      forms: [],
      records: [{ name: 'Sổ chứng thực bản sao từ bản chính', keeper: 'Công chức Tư pháp - Hộ tịch', retention: '20 năm' }],
    },
  ];
  for (const content of written) {
    const p = await c.procedures.create(who.officer, who.namDongId, content);
    await c.lifecycle.submit(who.officer, p.id);
    await c.lifecycle.review(who.leader, p.id);
    await c.lifecycle.approve(who.leader, p.id);
    await c.lifecycle.issue(who.officer, p.id, { issueDate: '2025-09-15' });
  }
  await c.procedures.create(who.officer, who.namDongId, {
    code: 'QT-02/ND-HT',
    title: 'Quy trình đăng ký kết hôn',
    kind: 'tthc',
    tthcId: String(tthcIds.get('1.000894')),
    purpose: 'Dự thảo: quy định trình tự đăng ký kết hôn tại UBND xã Nam Dong.',
    steps: [
      { action: 'Tiếp nhận hồ sơ, kiểm tra giấy tờ tùy thân của hai bên', responsible: oneStop, days: '0,5', output: 'Giấy tiếp nhận hồ sơ' },
      { action: 'Xác minh điều kiện kết hôn (nếu cần)', responsible: 'Công chức Tư pháp - Hộ tịch', days: '3', output: 'Báo cáo xác minh' },
      { action: 'Tổ chức trao Giấy chứng nhận kết hôn', responsible: '', days: '1', output: 'Giấy chứng nhận kết hôn' },
    ],
    forms: [{ code: 'BM.HT.02', name: 'Tờ khai đăng ký kết hôn' }],
    records,
  });
}
