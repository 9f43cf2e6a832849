import type { Knex } from 'knex';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { OfficialsService } from './officials.service.ts';
import { TeamsService } from './teams.service.ts';

/**
 * Demo data of the inspections area: the province's inspection team (the demo inspector leads
 * it, assigned to Nam Dong), its plan for the year, and Nam Dong's staff list, so that a spot check
 * can be started at once from `/inspections`.
 */
export async function seedInspectionsDemo(db: Knex, clock: Clock, p: { coordinator: Actor; inspector: Actor; officer: Actor; provinceId: number; unitId: number; unitCode: string }): Promise<void> {
  const teams = new TeamsService(db, clock);
  const year = Number(new Date(clock.now().getTime() + 7 * 3600_000).toISOString().slice(0, 4));
  const team = await teams.create(p.coordinator, { unitId: p.provinceId, name: 'Tổ kiểm tra công vụ tỉnh Đắk Nông', year, leader: p.inspector.user.username, units: p.unitCode });
  await teams.addPlanItem(p.coordinator, team.id, { year, unitCode: p.unitCode, month: 6, theme: 'Kỷ luật, kỷ cương hành chính; văn hóa công sở' });
  const officials = new OfficialsService(db, clock);
  const staff: Array<[string, string, string]> = [
    ['Nguyễn Văn An', 'Chủ tịch UBND', 'ND-01'], ['Trần Thị Hoa', 'Công chức Văn phòng - Thống kê', 'ND-02'],
    ['Lê Văn Cường', 'Công chức Tư pháp - Hộ tịch', 'ND-03'], ['Phạm Thị Dung', 'Công chức Địa chính - Xây dựng', 'ND-04'],
    ['Hoàng Văn Em', 'Công chức Văn hóa - Xã hội', ''], ['Vũ Thị Giang', 'Công chức Tài chính - Kế toán', 'ND-06'],
  ];
  for (const [fullName, position, badgeNo] of staff) await officials.add(p.officer, p.unitId, { fullName, position, badgeNo });
}
