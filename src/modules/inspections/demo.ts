import type { Knex } from 'knex';
import type { Actor } from '../../lib/actor.ts';
import type { Clock } from '../../lib/clock.ts';
import { PluginRegistry } from '../../plugins/registry.ts';
import { spotCheckForm } from '../../../plugins/discipline-inspection/forms/spot-check.ts';
import { InspectionsService } from './inspections.service.ts';
import { OfficialsService } from './officials.service.ts';
import { correctionsOf } from './record.repository.ts';
import { RecordService } from './record.service.ts';
import { TeamsService } from './teams.service.ts';

/**
 * Demo data of the inspections area: the province's inspection team (the demo inspector leads
 * it, assigned to Nam Dong), its plan for the year, Nam Dong's staff list, and one unannounced
 * spot check of this morning already concluded (one absent, one late, one without a badge, an
 * untidy office; two corrections, the first answered by the unit), so that the record, the
 * conclusion, the follow-up and the statistics have something to show; a new check can be started
 * at once from `/inspections`.
 */
export async function seedInspectionsDemo(
  db: Knex,
  clock: Clock,
  p: { coordinator: Actor; inspector: Actor; officer: Actor; provinceId: number; unitId: number; unitCode: string },
): Promise<void> {
  const teams = new TeamsService(db, clock);
  const year = Number(new Date(clock.now().getTime() + 7 * 3600_000).toISOString().slice(0, 4));
  const team = await teams.create(p.coordinator, {
    unitId: p.provinceId,
    name: 'Tổ kiểm tra công vụ tỉnh Đắk Nông',
    year,
    leader: p.inspector.user.username,
    units: p.unitCode,
  });
  await teams.addPlanItem(p.coordinator, team.id, { year, unitCode: p.unitCode, month: 6, theme: 'Kỷ luật, kỷ cương hành chính; văn hóa công sở' });
  const officials = new OfficialsService(db, clock);
  const staff: Array<[string, string, string]> = [
    ['Nguyễn Văn An', 'Chủ tịch UBND', 'ND-01'],
    ['Trần Thị Hoa', 'Công chức Văn phòng - Thống kê', 'ND-02'],
    ['Lê Văn Cường', 'Công chức Tư pháp - Hộ tịch', 'ND-03'],
    ['Phạm Thị Dung', 'Công chức Địa chính - Xây dựng', 'ND-04'],
    ['Hoàng Văn Em', 'Công chức Văn hóa - Xã hội', ''],
    ['Vũ Thị Giang', 'Công chức Tài chính - Kế toán', 'ND-06'],
  ];
  for (const [fullName, position, badgeNo] of staff) await officials.add(p.officer, p.unitId, { fullName, position, badgeNo });

  const plugins = new PluginRegistry([
    {
      id: 'discipline-inspection',
      dir: 'discipline-inspection',
      status: 'loaded',
      settings: {},
      forms: [spotCheckForm],
      reminders: [],
      documents: [],
      migrationsApplied: [],
    },
  ]);
  const onSite = new InspectionsService(db, clock, () => plugins);
  const record = new RecordService(db, clock, onSite);
  const started = await onSite.start(p.inspector, { unitCode: p.unitCode, form: spotCheckForm.id });
  const local = (ms: number) => new Date(ms + 7 * 3600_000).toISOString().slice(0, 16);
  // Arrived an hour and a half ago, but not before midnight (Viet Nam time): the record is of today.
  const sinceMidnight = (clock.now().getTime() + 7 * 3600_000) % 86_400_000;
  await onSite.setArrival(p.inspector, started.id, { arrivedAt: local(clock.now().getTime() - Math.min(90 * 60_000, sinceMidnight)) });
  const people = await onSite.attendance(db, started.id);
  for (const a of people) {
    const presence = a.fullName === 'Hoàng Văn Em' ? 'absent_without_reason' : a.fullName === 'Vũ Thị Giang' ? 'late' : 'present';
    await onSite.setPresence(p.inspector, started.id, a.id, { presence, reason: presence === 'late' ? 'Đến muộn 20 phút, không báo trước' : '' });
    if (a.fullName === 'Lê Văn Cường')
      await onSite.saveAnswer(p.inspector, started.id, 'badge', a.id, { value: 'no', note: 'Không đeo thẻ công chức khi làm việc' });
  }
  await onSite.saveAnswer(p.inspector, started.id, 'tidy', null, { value: 'no', note: 'Hồ sơ để trên bàn, chưa sắp xếp' });
  await record.close(p.inspector, started.id, { teamLeaderName: p.inspector.user.fullName, unitRepresentativeName: 'Nguyễn Văn An' });
  const day = (days: number) => new Date(clock.now().getTime() + 7 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
  await record.conclude(p.inspector, started.id, {
    text: 'Đơn vị cơ bản chấp hành kỷ luật, kỷ cương hành chính; còn công chức không đeo thẻ, vắng không lý do, đi muộn và phòng làm việc chưa gọn gàng.',
    'c.0.text': 'Nhắc nhở công chức đeo thẻ khi thi hành công vụ; kiểm điểm trường hợp vắng không lý do',
    'c.0.responsible': 'Chủ tịch UBND xã',
    'c.0.deadline': day(15),
    'c.1.text': 'Sắp xếp hồ sơ, tài liệu tại phòng làm việc theo quy định',
    'c.1.responsible': 'Văn phòng UBND xã',
    'c.1.deadline': day(30),
  });
  const [first] = await correctionsOf(db, started.id, day(0));
  await record.answer(p.officer, first!.id, { answer: 'Đã nhắc nhở tại cuộc họp giao ban; công chức vắng không lý do đã làm bản kiểm điểm.' });
}
