import { expect } from 'chai';
import request from 'supertest';
import { forEachDatabase, makeAgent, testPassword, type TestContext } from '../helpers/app.ts';
import { seedTree } from '../fixtures/tree.ts';
import { castRoles, signInCast, type CastRole, type Member } from '../fixtures/cast.ts';
import { send, viText, escapeHtml, type Method, type Upload } from '../fixtures/http.ts';
import { accessPng, checkEvidence, startedCheck, submittedCheck } from '../fixtures/checks-access.ts';
import { figureForm, figurePush } from '../fixtures/dashboard-access.ts';
import * as insp from '../fixtures/inspections-access.ts';
import * as act from '../fixtures/actions-access.ts';
import { accessDocument, accessFields } from '../fixtures/documents-access.ts';
import { pngBytes as inspectionPng } from '../fixtures/inspections-world.ts';
import { asForm, CatalogMaker, procedureContent, type CatalogPlace, type FreshState, type Made } from '../fixtures/catalog-places.ts';
import { wordFile } from '../fixtures/files.ts';

/**
 * Every route of the app, for every role, on a unit inside the role's scope and on one outside
 * it. The rule of the product: what is outside your scope, or beyond your role, does not exist
 * for you (404, never 403, never the data). A route added later is one more row.
 */

interface UnitRef { id: number; code: string; name: string; kind: string; parentCode: string }

/** A unit with its catalog (a TTHC of its province, procedures in several states, a file...). */
interface Place extends UnitRef { cat: CatalogPlace }

interface Fixture {
  ctx: TestContext;
  /** DNO-CJ-ND: inside every role's scope. */
  inside: Place;
  /** LCA-TU-PK: in the other province, outside everyone's scope but the administrator's. */
  outside: Place;
  /** Makes catalog records that a request changes, again for every request. */
  maker: CatalogMaker;
  /** A user without roles that user administration acts on. */
  spareUserId: number;
  /** A role of the spare user that the administrator may remove (made again when removed). */
  spareRoleId(): Promise<number>;
  /** A fresh API token of the caller (of the administrator when nobody is signed in). */
  ownTokenId(m?: Member): Promise<number>;
  next(): number;
}

interface Row {
  method: Method;
  /**
   * Placeholders filled in from the fixture: `:unit`, `:user`, `:roleId`, `:ownToken`; of the
   * catalog `:province`, `:marker`, `:tthc`, `:issued`, `:draft`, `:copy`, `:file`, `:no`,
   * `:index`, and, made anew for each request, `:fresh<State>` (a procedure in that state),
   * `:tthcId` (the TTHC adopted again), `:templateId` (a new template), `:oid` (an objective).
   */
  path: string;
  body?: (u: Place, f: Fixture, made: Made) => Record<string, unknown> | Promise<Record<string, unknown>>;
  /** A file chosen in the form (an Excel import, a form's attachment). */
  file?: (u: Place) => Upload;
  /** Who holds the right on a unit of their own scope. */
  may: readonly CastRole[] | 'everyone';
  ok: number;
  /** The answer to a role without the right (404 unless said). */
  denied?: number;
  /** The answer to a role without the right, outside its scope (`denied` unless said). */
  deniedOutOfScope?: number;
  /** The answer to a role with the right, on a unit outside its scope (404 unless said). */
  outOfScope?: number;
  /** Runs for the unit inside and the unit outside the scope (set when the unit is in the body). */
  scoped?: boolean;
}

const managers = ['admin', 'coordinator'] as const;
const isoSetters = ['admin', 'coordinator', 'officer'] as const;
const auditors = ['admin', 'coordinator'] as const;
const adminOnly = ['admin'] as const;

const createChild = (u: UnitRef, f: Fixture) => ({ code: `ACC-${f.next()}`, name: 'Đơn vị thử quyền', kind: 'commune', parentId: String(u.id) });
const sameUnit = (u: UnitRef) => ({ code: u.code, name: u.name, kind: u.kind });
const isoBody = () => ({ state: 'building', standard: '2015', reason: 'Kiểm tra phân quyền' });
// Passes validation, so the answer shows whether access was granted: the rule refusal (422)
// comes only after the unit was found in the caller's manage scope.
const unknownMerge = () => ({ sources: 'KHONG-CO-MA-NAY', date: '2025-07-01' });

// The catalog's rights (src/auth/roles.ts): catalog.write, catalog.approve, tthc.manage.
const writers = ['admin', 'coordinator', 'officer'] as const;
const signers = ['admin', 'coordinator', 'officer', 'leader'] as const; // write or approve: review, send back, issue
const approvers = ['admin', 'leader'] as const;
const tthcKeepers = ['admin', 'coordinator'] as const;

const newTthc = (u: Place, f: Fixture) => ({ provinceId: String(u.cat.provinceId), code: `9.${String(f.next()).padStart(6, '0')}`, name: 'Thủ tục thử quyền', field: 'Hộ tịch', level: 'commune', legalDays: '2' });
const newProcedure = (u: Place, f: Fixture) => procedureContent(`QT-MOI-${f.next()}`, 'Quy trình mới viết', u.cat.tthc.id);
const editedDraft = (u: Place, _f: Fixture, m: Made) => procedureContent(m.code!, 'Quy trình đã sửa lại', u.cat.tthc.id, { version: m.version });
async function tthcAsTyped(u: Place, f: Fixture): Promise<Record<string, unknown>> {
  const t = (await f.ctx.db('tthc').where('id', u.cat.tthc.id).first()) as Record<string, unknown>;
  return { code: t.code, name: t.name, field: t.field, level: t.level, legalDays: '3', fees: 'Miễn lệ phí', legalBasis: '', onlineLevel: t.online_level, version: String(t.version) };
}
const objectiveBody = () => ({ year: '2026', objective: 'Tỷ lệ hồ sơ giải quyết đúng hạn', measure: 'Sổ theo dõi hồ sơ', target: '98%', actual: '', achieved: '' });
const importXlsx = (u: Place): Upload => ({ name: 'quy-trinh.xlsx', content: u.cat.importFile });
const tthcXlsx = (u: Place): Upload => ({ name: 'tthc.xlsx', content: u.cat.tthcFile });

const catalogRoutes: Row[] = [
  // Pages, reading the catalog.
  { method: 'GET', path: '/catalog', may: 'everyone', ok: 200 },
  // A search for what only the other province has finds nothing, and says nothing of it.
  { method: 'GET', path: '/catalog?q=:marker', scoped: true, may: 'everyone', ok: 200, outOfScope: 200 },
  { method: 'GET', path: '/catalog?unitId=:unit', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/units/:unit/catalog', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/units/:unit/catalog/export.xlsx', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/catalog/import-template.xlsx', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/tthc/import-template.xlsx', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/procedures/:issued', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/procedures/:issued/revisions/:no', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/procedures/:issued/compare?a=1&b=1', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/procedures/:issued/print', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/procedures/:issued/pdf', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/procedures/:copy/template', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/catalog/files/:file', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/units/:unit/tthc', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/units/:unit/templates', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/units/:unit/quality', may: 'everyone', ok: 200 },
  // Pages, writing procedures.
  { method: 'GET', path: '/units/:unit/procedures/new', may: writers, ok: 200 },
  { method: 'POST', path: '/units/:unit/procedures', body: (u, f) => asForm(newProcedure(u, f)), may: writers, ok: 302 },
  // "Add a step" re-shows the form with one more row; nothing is saved.
  { method: 'POST', path: '/units/:unit/procedures', body: (u, f) => ({ ...asForm(newProcedure(u, f)), op: 'add:steps' }), may: writers, ok: 200 },
  { method: 'GET', path: '/procedures/:draft/edit', may: writers, ok: 200 },
  { method: 'POST', path: '/procedures/:freshDraft/edit', body: (u, f, m) => asForm(editedDraft(u, f, m)), may: writers, ok: 302 },
  { method: 'POST', path: '/procedures/:freshDraft/forms/:index/file', body: (_u, _f, m) => ({ version: m.version }), file: () => ({ name: 'Tờ khai.docx', content: wordFile('tờ khai') }), may: writers, ok: 302 },
  // No file chosen: a writer is told so (422), but only once the procedure is found in their scope.
  { method: 'POST', path: '/procedures/:freshDraft/forms/:index/file', body: (_u, _f, m) => ({ version: m.version }), may: writers, ok: 422 },
  { method: 'POST', path: '/procedures/:freshDraft/discard', may: writers, ok: 302 },
  { method: 'POST', path: '/procedures/:freshIssued/revise', may: writers, ok: 302 },
  { method: 'GET', path: '/units/:unit/catalog/import', may: writers, ok: 200 },
  // The same file twice: the first import creates, the next ones change nothing; both answer 200.
  { method: 'POST', path: '/units/:unit/catalog/import', file: importXlsx, may: writers, ok: 200 },
  // Pages, document control.
  { method: 'POST', path: '/procedures/:freshDraft/submit', may: writers, ok: 302 },
  { method: 'POST', path: '/procedures/:freshInReview/review', may: signers, ok: 302 },
  { method: 'POST', path: '/procedures/:freshInReview/send-back', body: () => ({ note: 'Bổ sung căn cứ pháp lý' }), may: signers, ok: 302 },
  // Approval is the leader's signature: someone who can see the procedure is told why not.
  { method: 'POST', path: '/procedures/:freshReviewed/approve', may: approvers, ok: 302, denied: 403, deniedOutOfScope: 404 },
  { method: 'POST', path: '/procedures/:freshApproved/issue', body: () => ({ issueDate: '2026-03-02' }), may: signers, ok: 302 },
  { method: 'POST', path: '/procedures/:freshIssued/withdraw', body: () => ({ reason: 'Thủ tục hành chính đã bị bãi bỏ' }), may: writers, ok: 302 },
  { method: 'POST', path: '/procedures/:issued/reviewed', may: writers, ok: 302 },
  // Pages, the TTHC list of a province and a unit's TTHC scope.
  { method: 'GET', path: '/tthc', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/tthc?q=:marker', scoped: true, may: 'everyone', ok: 200, outOfScope: 200 },
  { method: 'GET', path: '/tthc?provinceId=:province', scoped: true, may: 'everyone', ok: 200, outOfScope: 200 },
  { method: 'GET', path: '/tthc/:tthc', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/tthc/new', may: tthcKeepers, ok: 200 },
  // As for a new unit: a province one may not keep reads as an unknown one, on the field.
  { method: 'POST', path: '/tthc', scoped: true, body: newTthc, may: tthcKeepers, ok: 302, denied: 422, outOfScope: 422 },
  { method: 'GET', path: '/tthc/:tthc/edit', may: tthcKeepers, ok: 200 },
  { method: 'POST', path: '/tthc/:tthc/edit', body: tthcAsTyped, may: tthcKeepers, ok: 302 },
  { method: 'GET', path: '/tthc/import', may: tthcKeepers, ok: 200 },
  { method: 'POST', path: '/tthc/import', scoped: true, body: (u) => ({ provinceId: String(u.cat.provinceId) }), file: tthcXlsx, may: tthcKeepers, ok: 200, outOfScope: 422 },
  { method: 'POST', path: '/units/:unit/tthc', body: (u) => ({ codes: u.cat.tthc.code }), may: writers, ok: 302 },
  { method: 'POST', path: '/units/:unit/tthc/:tthcId/drop', may: writers, ok: 302 },
  // Pages, templates (framework model).
  { method: 'GET', path: '/units/:unit/procedures/new?template=1', may: tthcKeepers, ok: 200 },
  { method: 'POST', path: '/units/:unit/templates/:templateId/adopt', may: writers, ok: 302 },
  { method: 'POST', path: '/procedures/:freshUpdatedCopy/template/take', may: writers, ok: 302 },
  // Pages, quality policy and objectives.
  { method: 'GET', path: '/units/:unit/quality/objectives/:oid/edit', may: writers, ok: 200 },
  { method: 'POST', path: '/units/:unit/quality/policy', body: () => ({ text: 'Không ngừng nâng cao chất lượng phục vụ người dân', issuedOn: '2026-01-15' }), may: writers, ok: 302 },
  { method: 'POST', path: '/units/:unit/quality/objectives', body: objectiveBody, may: writers, ok: 302 },
  { method: 'POST', path: '/units/:unit/quality/objectives/:oid', body: objectiveBody, may: writers, ok: 302 },
  { method: 'POST', path: '/units/:unit/quality/objectives/:oid/delete', may: writers, ok: 302 },
  // API.
  { method: 'GET', path: '/api/v1/tthc', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/api/v1/tthc?q=:marker', scoped: true, may: 'everyone', ok: 200, outOfScope: 200 },
  { method: 'GET', path: '/api/v1/tthc/:tthc', may: 'everyone', ok: 200 },
  { method: 'POST', path: '/api/v1/tthc', scoped: true, body: newTthc, may: tthcKeepers, ok: 201, denied: 422, outOfScope: 422 },
  { method: 'GET', path: '/api/v1/procedures', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/api/v1/procedures?q=:marker', scoped: true, may: 'everyone', ok: 200, outOfScope: 200 },
  { method: 'GET', path: '/api/v1/procedures?unitId=:unit', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/api/v1/procedures/:issued', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/api/v1/procedures/:issued/revisions/:no', may: 'everyone', ok: 200 },
  { method: 'POST', path: '/api/v1/procedures', scoped: true, body: (u, f) => ({ unitId: u.id, ...newProcedure(u, f) }), may: writers, ok: 201 },
  { method: 'PUT', path: '/api/v1/procedures/:freshDraft/draft', body: editedDraft, may: writers, ok: 200 },
  { method: 'POST', path: '/api/v1/procedures/:freshIssued/revise', may: writers, ok: 201 },
  { method: 'POST', path: '/api/v1/procedures/:freshDraft/submit', may: writers, ok: 200 },
  { method: 'POST', path: '/api/v1/procedures/:freshInReview/review', may: signers, ok: 200 },
  { method: 'POST', path: '/api/v1/procedures/:freshInReview/send-back', body: () => ({ note: 'Bổ sung căn cứ pháp lý' }), may: signers, ok: 200 },
  { method: 'POST', path: '/api/v1/procedures/:freshReviewed/approve', may: approvers, ok: 200, denied: 403, deniedOutOfScope: 404 },
  { method: 'POST', path: '/api/v1/procedures/:freshApproved/issue', may: signers, ok: 200 },
  { method: 'POST', path: '/api/v1/procedures/:freshIssued/withdraw', body: () => ({ reason: 'Thủ tục hành chính đã bị bãi bỏ' }), may: writers, ok: 200 },
];

// Checks (issue 5): everyone in scope reads; officers and up plan; inspectors also answer.
const planners = ['admin', 'coordinator', 'officer'] as const;
const answerers = ['admin', 'coordinator', 'officer', 'inspector'] as const;
// This suite loads no plugin, so no form can be planned: a planner reaches the form's refusal (422).
const planBody = () => ({ form: 'iso-internal-audit@1', checkDate: '2026-03-02', kind: 'planned' });
const sectionBody = () => ({ 'a.i1': 'yes', 'was.i1': '', 'n.i1': 'Ghi chú thử quyền', 'wasn.i1': '' });
const findingBody = () => ({ severity: 'minor', clauseRef: '7.5', description: 'Phát hiện thử quyền' });
const checkSigners = ['admin', 'leader'] as const; // check.sign

const checkRoutes: Row[] = [
  { method: 'GET', path: '/units/:unit/checks', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/units/:unit/checks/new', may: planners, ok: 200 },
  { method: 'POST', path: '/units/:unit/checks', body: planBody, may: planners, ok: 422 },
  { method: 'GET', path: '/checks/:check', may: 'everyone', ok: 200 },
  { method: 'POST', path: '/checks/:freshCheck/sections/:sectionId', body: sectionBody, may: answerers, ok: 302 },
  { method: 'POST', path: '/checks/:freshCheck/submit', may: answerers, ok: 302 },
  { method: 'GET', path: '/api/v1/units/:unit/checks', may: 'everyone', ok: 200 },
  { method: 'POST', path: '/api/v1/units/:unit/checks', body: planBody, may: planners, ok: 422 },
  { method: 'GET', path: '/api/v1/checks/:check', may: 'everyone', ok: 200 },
  { method: 'PUT', path: '/api/v1/checks/:check/answers/:itemId', body: () => ({ value: 'yes', note: 'Ghi chú thử quyền' }), may: answerers, ok: 200 },
  { method: 'POST', path: '/api/v1/checks/:freshCheck/submit', may: answerers, ok: 200 },
  // Checks, second slice: province list, evidence, findings by hand, sign-off, next cycle.
  { method: 'GET', path: '/checks', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/checks/export.xlsx', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/api/v1/checks', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/checks/:check/next', may: planners, ok: 200 },
  { method: 'POST', path: '/checks/:freshCheck/items/:itemId/files', file: () => ({ name: 'anh.png', content: accessPng }), may: answerers, ok: 302 },
  { method: 'GET', path: '/checks/:check/files/:checkFileId', may: 'everyone', ok: 200 },
  { method: 'POST', path: '/checks/:check/files/:checkFileId/remove', may: answerers, ok: 302 },
  { method: 'POST', path: '/api/v1/checks/:check/items/:itemId/files', file: () => ({ name: 'anh.png', content: accessPng }), may: answerers, ok: 201 },
  { method: 'DELETE', path: '/api/v1/checks/:check/files/:checkFileId', may: answerers, ok: 204 },
  { method: 'POST', path: '/checks/:freshStartedCheck/findings', body: findingBody, may: answerers, ok: 302 },
  { method: 'POST', path: '/api/v1/checks/:freshStartedCheck/findings', body: findingBody, may: answerers, ok: 201 },
  { method: 'POST', path: '/checks/:freshSubmittedCheck/sign-off', may: checkSigners, ok: 302 },
  { method: 'POST', path: '/api/v1/checks/:freshSubmittedCheck/sign-off', may: checkSigners, ok: 200 },
];

// Rows of the areas built next, each in its own list (kept apart so they can be written at once).
const actionRoutes: Row[] = [ // issue 5, actions area: corrective actions, reviews, programme
  // Corrective actions: everyone in scope reads; officers and up record them; verifiers (not the owner) verify.
  { method: 'GET', path: '/actions', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/actions/export.xlsx', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/units/:unit/actions', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/findings/:freshFinding', may: 'everyone', ok: 200 },
  { method: 'POST', path: '/findings/:freshFinding/actions', body: act.actionBody, may: planners, ok: 302 },
  { method: 'POST', path: '/findings/:freshFinding/close', may: planners, ok: 302 },
  { method: 'POST', path: '/actions/:freshAction/transition', body: () => ({ to: 'in_progress' }), may: planners, ok: 302, denied: 403, deniedOutOfScope: 404 },
  { method: 'POST', path: '/actions/:freshDoneAction/transition', body: () => ({ to: 'verified', note: 'Đã kiểm tra' }), may: ['admin', 'coordinator', 'officer', 'leader'], ok: 302 },
  { method: 'GET', path: '/actions/:freshAction/edit', may: planners, ok: 200 },
  { method: 'POST', path: '/actions/:freshAction/edit', body: () => ({ ...act.actionBody(), version: '1' }), may: planners, ok: 302 },
  { method: 'GET', path: '/api/v1/findings', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/api/v1/findings/:freshFinding', may: 'everyone', ok: 200 },
  { method: 'POST', path: '/api/v1/findings/:freshFinding/close', may: planners, ok: 200 },
  { method: 'POST', path: '/api/v1/findings/:freshFinding/actions', body: act.actionBody, may: planners, ok: 201 },
  { method: 'GET', path: '/api/v1/actions', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/api/v1/actions/:freshAction', may: 'everyone', ok: 200 },
  { method: 'PUT', path: '/api/v1/actions/:freshAction', body: act.actionBody, may: planners, ok: 200 },
  { method: 'POST', path: '/api/v1/actions/:freshAction/transition', body: () => ({ to: 'in_progress' }), may: planners, ok: 200, denied: 403, deniedOutOfScope: 404 },
  // Management reviews.
  { method: 'GET', path: '/units/:unit/reviews', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/units/:unit/reviews/new', may: planners, ok: 200 },
  { method: 'POST', path: '/units/:unit/reviews', body: () => ({ reviewDate: '2026-03-02', chairedBy: 'Chủ tịch UBND' }), may: planners, ok: 302 },
  { method: 'GET', path: '/reviews/:freshMgmtReview', may: 'everyone', ok: 200 },
  { method: 'POST', path: '/reviews/:freshMgmtReview', body: () => ({ decisions: 'Duy trì hệ thống', attendees: 'Lãnh đạo UBND' }), may: planners, ok: 302 },
  // The yearly audit programme. No plugin is loaded here, so no form can be planned: a planner reaches the form's refusal (422).
  { method: 'GET', path: '/units/:unit/programme', may: 'everyone', ok: 302 },
  { method: 'GET', path: '/units/:unit/programme/:programmeYear', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/units/:unit/programme/:programmeYear/print', may: 'everyone', ok: 200 },
  { method: 'POST', path: '/units/:unit/programme/:programmeYear/items', body: () => ({ unitCode: '', plannedMonth: '3', formId: 'iso-internal-audit' }), may: planners, ok: 422 },
  { method: 'POST', path: '/units/:unit/programme/:programmeYear/items/:programmeEntryId/delete', may: planners, ok: 302 },
];
const inspectionRoutes: Row[] = [ // issue 6
  // None of the cast is a member of an inspection team (test/fixtures/inspections-access.ts): the
  // administrator acts as the team; the unit's officer and leader read and answer corrections;
  // coordinators read, conclude, review and see the statistics.
  { method: 'GET', path: '/inspections', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/inspections/new', may: [], ok: 200 },
  { method: 'POST', path: '/inspections', scoped: true, body: (u) => ({ unitCode: u.code }), may: [], ok: 302 },
  { method: 'GET', path: '/inspections/corrections', may: insp.roles.managers, ok: 200 },
  { method: 'GET', path: '/inspections/stats', may: insp.roles.managers, ok: 200 },
  { method: 'GET', path: '/inspections/stats.xlsx', may: insp.roles.managers, ok: 200 },
  { method: 'GET', path: '/inspections/:freshInspRead', may: insp.roles.readers, ok: 200 },
  { method: 'GET', path: '/inspections/:freshInspRead/record', may: insp.roles.readers, ok: 200 },
  { method: 'POST', path: '/inspections/:freshInspOnSite/arrival', body: () => ({ arrivedAt: '2026-03-02T08:00' }), may: adminOnly, ok: 302 },
  { method: 'POST', path: '/inspections/:freshInspOnSite/attendance', body: () => ({}), may: adminOnly, ok: 302 },
  { method: 'POST', path: '/inspections/:freshInspOnSite/people', body: () => ({ fullName: 'Người ngoài danh sách' }), may: adminOnly, ok: 302 },
  { method: 'POST', path: '/inspections/:freshInspOnSite/people/:aid', body: () => ({ 'a.badge': 'yes' }), may: adminOnly, ok: 302 },
  { method: 'POST', path: '/inspections/:freshInspOnSite/sections/:sectionId', body: () => ({ 'a.i1': 'yes' }), may: adminOnly, ok: 302 },
  { method: 'POST', path: '/inspections/:freshInspOnSite/files', file: () => ({ name: 'anh.png', content: inspectionPng }), may: adminOnly, ok: 302 },
  { method: 'POST', path: '/inspections/:freshInspOnSite/close', body: () => ({ teamLeaderName: 'Tổ trưởng', unitRepresentativeName: 'Đại diện' }), may: adminOnly, ok: 302 },
  { method: 'POST', path: '/inspections/:freshInspClosed/conclusion', body: () => ({ text: 'Kết luận thử quyền' }), may: insp.roles.managers, ok: 302 },
  { method: 'POST', path: '/inspections/:freshInspRead/reinspect', may: adminOnly, ok: 302 },
  { method: 'POST', path: '/corrections/:freshCorrection/answer', body: () => ({ answer: 'Đã khắc phục' }), may: insp.roles.unit, ok: 302 },
  { method: 'POST', path: '/corrections/:freshAnsweredCorrection/review', body: () => ({ decision: 'accept' }), may: insp.roles.managers, ok: 302 },
  { method: 'GET', path: '/inspection-files/:freshInspFile', may: insp.roles.readers, ok: 200 },
  { method: 'GET', path: '/teams', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/teams/new', may: insp.roles.managers, ok: 200 },
  // A province one may not manage reads as an unknown one, on the field (as for a new unit).
  { method: 'POST', path: '/teams', scoped: true, body: insp.teamBody, may: insp.roles.managers, ok: 302, outOfScope: 422 },
  { method: 'GET', path: '/teams/:freshTeam', may: insp.roles.managers, ok: 200 },
  { method: 'GET', path: '/teams/:freshTeam/edit', may: insp.roles.managers, ok: 200 },
  { method: 'POST', path: '/teams/:freshTeam/edit', body: insp.teamBody, may: insp.roles.managers, ok: 302 },
  { method: 'POST', path: '/teams/:freshTeam/plan', body: (u) => ({ year: '2026', unitCode: u.code, month: '4', theme: 'Thử quyền' }), may: insp.roles.managers, ok: 302 },
  { method: 'POST', path: '/plan-items/:freshPlanItem/delete', may: insp.roles.managers, ok: 302 },
  { method: 'GET', path: '/units/:unit/officials', may: insp.roles.readers, ok: 200 },
  { method: 'POST', path: '/units/:unit/officials', body: (_u, f) => ({ fullName: `Cán bộ mới ${f.next()}`, position: 'Công chức' }), may: writers, ok: 302 },
  { method: 'GET', path: '/units/:unit/officials/export.xlsx', may: insp.roles.readers, ok: 200 },
  // No file chosen: a keeper of the list is told so (422), once the unit is found in their scope.
  { method: 'POST', path: '/units/:unit/officials/import', may: writers, ok: 422 },
  { method: 'GET', path: '/officials/:freshOfficial/edit', may: writers, ok: 200 },
  { method: 'POST', path: '/officials/:freshOfficial/edit', body: (_u, f) => ({ fullName: `Cán bộ sửa ${f.next()}`, position: 'Công chức' }), may: writers, ok: 302 },
  { method: 'POST', path: '/officials/:freshOfficial/deactivate', may: writers, ok: 302 },
  { method: 'POST', path: '/officials/:freshOfficial/activate', may: writers, ok: 302 },
  { method: 'GET', path: '/api/v1/inspections', may: 'everyone', ok: 200 },
  // No team of the cast covers any unit (and no form is loaded): everyone is refused on the field.
  { method: 'POST', path: '/api/v1/inspections', scoped: true, body: (u) => ({ unitCode: u.code }), may: 'everyone', ok: 422, outOfScope: 422 },
  { method: 'GET', path: '/api/v1/inspections/:freshInspRead', may: insp.roles.readers, ok: 200 },
  { method: 'PUT', path: '/api/v1/inspections/:freshInspOnSite/arrival', body: () => ({ arrivedAt: '2026-03-02T08:00' }), may: adminOnly, ok: 200 },
  { method: 'POST', path: '/api/v1/inspections/:freshInspOnSite/people', body: () => ({ fullName: 'Người ngoài danh sách' }), may: adminOnly, ok: 201 },
  { method: 'PUT', path: '/api/v1/inspections/:freshInspOnSite/attendance/:aid', body: () => ({ presence: 'late' }), may: adminOnly, ok: 200 },
  { method: 'PUT', path: '/api/v1/inspections/:freshInspOnSite/answers/:itemId', body: () => ({ value: 'yes' }), may: adminOnly, ok: 200 },
  { method: 'POST', path: '/api/v1/inspections/:freshInspOnSite/close', body: () => ({ teamLeaderName: 'Tổ trưởng', unitRepresentativeName: 'Đại diện' }), may: adminOnly, ok: 200 },
  { method: 'POST', path: '/api/v1/inspections/:freshInspClosed/conclusion', body: () => ({ text: 'Kết luận thử quyền' }), may: insp.roles.managers, ok: 200 },
  { method: 'POST', path: '/api/v1/corrections/:freshCorrection/answer', body: () => ({ answer: 'Đã khắc phục' }), may: insp.roles.unit, ok: 200 },
  { method: 'POST', path: '/api/v1/corrections/:freshAnsweredCorrection/review', body: () => ({ decision: 'accept' }), may: insp.roles.managers, ok: 200 },
  { method: 'GET', path: '/api/v1/teams', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/api/v1/teams/:freshTeam', may: insp.roles.managers, ok: 200 },
  { method: 'POST', path: '/api/v1/teams', scoped: true, body: insp.teamBody, may: insp.roles.managers, ok: 201, denied: 422, outOfScope: 422 },
];
const docWriters = ['admin', 'coordinator', 'officer'] as const; // document.write, document.issue
const docApprovers = ['admin', 'leader'] as const; // document.approve
const docBatch = ['admin', 'coordinator'] as const; // document.batch
const documentRoutes: Row[] = [ // issue 7
  { method: 'GET', path: '/documents', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/units/:unit/documents', may: 'everyone', ok: 200 },
  { method: 'POST', path: '/units/:unit/documents', body: () => ({ type: 'yearly-report', year: '2026' }), may: docWriters, ok: 302 },
  { method: 'GET', path: '/documents/:freshDocDraft', may: 'everyone', ok: 200 },
  { method: 'POST', path: '/documents/:freshDocDraft', body: (_u, f) => accessFields(f), may: docWriters, ok: 302 },
  { method: 'POST', path: '/documents/:freshDocDraft/approve', may: docApprovers, ok: 302 },
  { method: 'POST', path: '/documents/:freshDocApproved/issue', may: docWriters, ok: 302 },
  { method: 'GET', path: '/documents/:freshDocDraft/preview.pdf', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/documents/:freshDocIssued/download', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/documents/batch?provinceId=:province', may: docBatch, ok: 200 },
  { method: 'GET', path: '/documents/batch.zip?provinceId=:province&type=yearly-report&year=2026', may: docBatch, ok: 200 },
  { method: 'GET', path: '/api/v1/documents', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/api/v1/documents/types', may: 'everyone', ok: 200 },
  { method: 'POST', path: '/api/v1/units/:unit/documents', body: () => ({ type: 'yearly-report', year: 2026 }), may: docWriters, ok: 201 },
  { method: 'GET', path: '/api/v1/documents/:freshDocDraft', may: 'everyone', ok: 200 },
  { method: 'PUT', path: '/api/v1/documents/:freshDocDraft', body: (_u, f) => accessFields(f), may: docWriters, ok: 200 },
  { method: 'POST', path: '/api/v1/documents/:freshDocDraft/approve', may: docApprovers, ok: 200 },
  { method: 'POST', path: '/api/v1/documents/:freshDocApproved/issue', may: docWriters, ok: 200 },
  { method: 'GET', path: '/api/v1/documents/:freshDocDraft/preview', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/api/v1/documents/:freshDocIssued/download', may: 'everyone', ok: 200 },
];
const dashboardRoutes: Row[] = [ // issue 8
  { method: 'GET', path: '/home', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/dashboard', may: managers, ok: 200 },
  { method: 'GET', path: '/dashboard?provinceId=:province', scoped: true, may: managers, ok: 200 },
  { method: 'GET', path: '/dashboard/export.xlsx', may: managers, ok: 200 },
  { method: 'GET', path: '/units/:unit/readiness', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/units/:unit/on-time', may: 'everyone', ok: 200 },
  { method: 'POST', path: '/units/:unit/on-time', body: figureForm, may: isoSetters, ok: 302 },
  { method: 'GET', path: '/on-time/import', may: managers, ok: 200 },
  { method: 'GET', path: '/on-time/import-template.xlsx', may: managers, ok: 200 },
  // No file chosen: an importer is told so (422), after the import was found open to them.
  { method: 'POST', path: '/on-time/import', may: managers, ok: 422 },
  { method: 'GET', path: '/api/v1/dashboard', may: managers, ok: 200 },
  { method: 'GET', path: '/api/v1/dashboard?provinceId=:province', scoped: true, may: managers, ok: 200 },
  { method: 'GET', path: '/api/v1/units/:unit/readiness', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/api/v1/units/:unit/on-time', may: 'everyone', ok: 200 },
  { method: 'POST', path: '/api/v1/on-time', scoped: true, body: figurePush, may: isoSetters, ok: 201 },
];

const routes: Row[] = [
  // Pages, read.
  { method: 'GET', path: '/units', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/units?q=xa', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/units/:unit', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/account', may: 'everyone', ok: 200 },
  // Pages, managing units.
  { method: 'GET', path: '/units/new', may: adminOnly, ok: 200 },
  { method: 'GET', path: '/units/new?parentId=:unit', may: managers, ok: 200 },
  { method: 'GET', path: '/units/:unit/edit', may: managers, ok: 200 },
  { method: 'GET', path: '/units/:unit/move', may: managers, ok: 200 },
  { method: 'GET', path: '/units/:unit/merge', may: managers, ok: 200 },
  { method: 'GET', path: '/units/:unit/iso-state', may: isoSetters, ok: 200 },
  // A parent the caller may not manage is a parent that does not exist for them: the form says
  // so on the field, exactly as for an unknown id, and nothing is created.
  { method: 'POST', path: '/units', scoped: true, body: createChild, may: managers, ok: 302, denied: 422, outOfScope: 422 },
  { method: 'POST', path: '/units/:unit/edit', body: sameUnit, may: managers, ok: 302 },
  { method: 'POST', path: '/units/:unit/move', body: (u) => ({ parentCode: u.parentCode }), may: managers, ok: 302 },
  { method: 'POST', path: '/units/:unit/merge', body: unknownMerge, may: managers, ok: 422 },
  { method: 'POST', path: '/units/:unit/iso-state', body: isoBody, may: isoSetters, ok: 302 },
  // Pages, audit log.
  { method: 'GET', path: '/audit', may: auditors, ok: 200 },
  // A coordinator asking for the history of a unit outside the province gets an empty list, as for
  // a unit that does not exist (the generic check below makes sure nothing of it shows).
  { method: 'GET', path: '/audit?entity=unit&entityId=:unit', may: auditors, ok: 200, outOfScope: 200 },
  // Pages, user administration.
  { method: 'GET', path: '/admin/users', may: adminOnly, ok: 200 },
  { method: 'GET', path: '/admin/users/new', may: adminOnly, ok: 200 },
  { method: 'GET', path: '/admin/users/:user', may: adminOnly, ok: 200 },
  { method: 'POST', path: '/admin/users', body: (_u, f) => ({ username: `moi-${f.next()}`, fullName: 'Người mới', password: 'mat-khau-moi-123' }), may: adminOnly, ok: 302 },
  { method: 'POST', path: '/admin/users/:user', body: () => ({ fullName: 'Người dự phòng', isActive: 'on' }), may: adminOnly, ok: 302 },
  { method: 'POST', path: '/admin/users/:user/password', body: () => ({ password: 'mat-khau-moi-123' }), may: adminOnly, ok: 302 },
  { method: 'POST', path: '/admin/users/:user/roles', body: (_u, f) => ({ role: 'leader', unitCode: f.inside.code }), may: adminOnly, ok: 302 },
  { method: 'POST', path: '/admin/users/:user/roles/:roleId/delete', may: adminOnly, ok: 302 },
  // Pages, own account.
  { method: 'POST', path: '/account/tokens', body: () => ({ name: 'Thử quyền' }), may: 'everyone', ok: 201 },
  { method: 'POST', path: '/account/preferences', body: () => ({ fullName: 'Người thử quyền', locale: 'vi' }), may: 'everyone', ok: 302 },
  { method: 'POST', path: '/account/tokens/:ownToken/revoke', may: 'everyone', ok: 302 },
  // Reaches the rule (the two new passwords differ) without changing anyone's password.
  { method: 'POST', path: '/account/password', body: () => ({ current: testPassword, password: 'mat-khau-moi-1', confirm: 'mat-khau-moi-2' }), may: 'everyone', ok: 422 },
  // Pages, plugins.
  { method: 'GET', path: '/admin/plugins', may: adminOnly, ok: 200 },
  // This suite loads no plugin, so the reminder is unknown to the administrator too (the run
  // itself is tested in scheduler-admin.test.ts); for the others the page does not exist at all.
  { method: 'POST', path: '/admin/plugins/:pluginId/reminders/:reminderId/run', may: adminOnly, ok: 404 },
  // Pages, notifications: one's own inbox; another user's notification does not exist, even for
  // an administrator.
  { method: 'GET', path: '/notifications', may: 'everyone', ok: 200 },
  { method: 'POST', path: '/notifications/read-all', may: 'everyone', ok: 302 },
  { method: 'GET', path: '/notifications/:notification/open', may: [], ok: 302 },
  { method: 'POST', path: '/notifications/:notification/read', may: [], ok: 302 },
  // API.
  { method: 'GET', path: '/api/v1/me', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/api/v1/units', may: 'everyone', ok: 200 },
  { method: 'GET', path: '/api/v1/units/:unit', may: 'everyone', ok: 200 },
  { method: 'POST', path: '/api/v1/units', scoped: true, body: createChild, may: managers, ok: 201, denied: 422, outOfScope: 422 },
  { method: 'PATCH', path: '/api/v1/units/:unit', body: (u) => ({ name: u.name }), may: managers, ok: 200 },
  { method: 'POST', path: '/api/v1/units/:unit/move', body: (u) => ({ parentCode: u.parentCode }), may: managers, ok: 200 },
  { method: 'POST', path: '/api/v1/units/:unit/merge', body: unknownMerge, may: managers, ok: 422 },
  { method: 'PUT', path: '/api/v1/units/:unit/iso-state', body: isoBody, may: isoSetters, ok: 200 },
  { method: 'GET', path: '/api/v1/audit', may: auditors, ok: 200 },
  { method: 'GET', path: '/api/v1/audit?entity=unit&entityId=:unit', may: auditors, ok: 200, outOfScope: 200 },
  { method: 'GET', path: '/api/v1/users', may: adminOnly, ok: 200 },
  { method: 'GET', path: '/api/v1/users/:user', may: adminOnly, ok: 200 },
  { method: 'POST', path: '/api/v1/users', body: (_u, f) => ({ username: `api-${f.next()}`, fullName: 'Người mới', password: 'mat-khau-moi-123' }), may: adminOnly, ok: 201 },
  { method: 'PATCH', path: '/api/v1/users/:user', body: () => ({ fullName: 'Người dự phòng' }), may: adminOnly, ok: 200 },
  { method: 'POST', path: '/api/v1/users/:user/roles', body: (_u, f) => ({ role: 'officer', unitId: f.inside.id }), may: adminOnly, ok: 201 },
  { method: 'DELETE', path: '/api/v1/users/:user/roles/:roleId', may: adminOnly, ok: 204 },
  { method: 'GET', path: '/api/v1/plugins', may: adminOnly, ok: 200 },
  { method: 'POST', path: '/api/v1/plugins/:pluginId/reminders/:reminderId/run', may: adminOnly, ok: 404 },
  { method: 'GET', path: '/api/v1/notifications', may: 'everyone', ok: 200 },
  { method: 'POST', path: '/api/v1/notifications/read-all', may: 'everyone', ok: 200 },
  { method: 'POST', path: '/api/v1/notifications/:notification/read', may: [], ok: 200 },
  ...catalogRoutes,
  ...checkRoutes,
  ...actionRoutes,
  ...inspectionRoutes,
  ...documentRoutes,
  ...dashboardRoutes,
];

/** Routes open to everyone, each tested where its behaviour lives. */
const publicRoutes = [
  'GET /', 'GET /healthz', 'POST /lang',
  'GET /login', 'POST /login', 'POST /logout', // security.test.ts
  'GET /setup', 'POST /setup', // forms.test.ts
];

interface Layer { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] }; rawPath?: unknown; slash?: boolean }

/** Every `METHOD /path` the app mounts, read from Express's own router. */
function mountedRoutes(stack: Layer[], prefix = ''): string[] {
  return stack.flatMap((l) => {
    if (l.route) return Object.keys(l.route.methods).map((m) => `${m.toUpperCase()} ${prefix}${l.route!.path}`);
    if (l.handle?.stack) return mountedRoutes(l.handle.stack, l.slash || l.rawPath === '/' ? prefix : `${prefix}${String(l.rawPath)}`);
    return [];
  });
}

// The placeholders that stand for the route's own `:id`; the others keep the route's names.
const idPlaceholders = /:(unit|user|ownToken|tthc|issued|draft|copy|file|notification|check|fresh[A-Za-z]+)\b/g;
const routeKey = (r: Row) => `${r.method} ${r.path.split('?')[0]!.replace(idPlaceholders, ':id')}`;

const isScoped = (r: Row) => r.scoped === true || /:(unit|province|marker|tthc|issued|draft|copy|file|fresh|check)/.test(r.path);
const mayUse = (r: Row, role: CastRole) => r.may === 'everyone' || r.may.includes(role);

function expected(r: Row, role: CastRole, where: 'inside' | 'outside'): number {
  const outside = where === 'outside' && role !== 'admin';
  if (!mayUse(r, role)) return outside ? r.deniedOutOfScope ?? r.denied ?? 404 : r.denied ?? 404;
  if (outside) return r.outOfScope ?? 404;
  return r.ok;
}

function describeRow(r: Row): string {
  const mayText = r.may === 'everyone' ? 'every role' : r.may.join(', ');
  const rest = r.may === 'everyone' ? '' : `, the others ${r.denied ?? 404}`;
  const out = isScoped(r) ? `; outside their scope ${r.outOfScope ?? 404}` : '';
  return `${r.method} ${r.path}: ${mayText} ${r.ok}${rest}${out}`;
}

const freshStates: Record<string, FreshState> = {
  freshDraft: 'draft', freshInReview: 'inReview', freshReviewed: 'reviewed', freshApproved: 'approved', freshIssued: 'issued', freshUpdatedCopy: 'updatedCopy',
};

/** A notification of the spare user: nobody else may open or mark it. */
async function othersNotification(f: Fixture): Promise<number> {
  const at = new Date().toISOString();
  const [row] = (await f.ctx.db('notifications').insert({
    user_id: f.spareUserId, source: 'access/test', dedupe_key: `access:${f.next()}`, title_vi: 'Thông báo của người khác', title_en: 'Someone else\'s notification', created_at: at, updated_at: at,
  }).returning('id')) as Array<{ id: number } | number>;
  return typeof row === 'number' ? row : Number(row!.id);
}

/** The form of the checks this suite makes: one optional yes / no item (no plugin is loaded here). */
const accessForm = {
  id: 'thu-quyen', version: 1, kind: 'iso-check', appliesTo: 'unit', title: { vi: 'Phiếu thử quyền', en: 'Access form' },
  sections: [{ id: 's1', title: { vi: 'Phần 1', en: 'Part 1' }, items: [{ id: 'i1', ref: '9.2', text: { vi: 'Câu thử', en: 'Item' }, answer: { type: 'yes-no-na' }, mandatory: false, weight: 1 }] }],
};
const sharedChecks = new WeakMap<Fixture, Map<number, number>>();

/** A check of the place's unit: one kept for reading and answering, or a new one (to submit). */
async function placeCheck(f: Fixture, u: Place, fresh: boolean): Promise<number> {
  const shared = sharedChecks.get(f) ?? new Map<number, number>();
  sharedChecks.set(f, shared);
  if (!fresh && shared.has(u.id)) return shared.get(u.id)!;
  const at = new Date().toISOString();
  const [row] = (await f.ctx.db('checks').insert({
    unit_id: u.id, form_id: accessForm.id, form_version: 1, form_json: JSON.stringify(accessForm), check_date: '2026-03-02', kind: 'planned', status: 'planned', created_at: at, updated_at: at,
  }).returning('id')) as Array<{ id: number } | number>;
  const id = typeof row === 'number' ? row : Number(row!.id);
  if (!fresh) shared.set(u.id, id);
  return id;
}

/** The request's URL with every placeholder filled in, and what was made for it. */
async function fillPath(r: Row, u: Place, f: Fixture, m?: Member): Promise<{ url: string; made: Made }> {
  let made: Made = {};
  const value = async (name: string): Promise<string | number> => {
    const c = u.cat;
    const fresh = freshStates[name];
    if (fresh) {
      made = await f.maker.fresh(c, fresh);
      return made.id!;
    }
    switch (name) {
      case 'unit': return u.id;
      case 'user': return f.spareUserId;
      case 'roleId': return f.spareRoleId();
      case 'ownToken': return f.ownTokenId(m);
      case 'province': return c.provinceId;
      // Searches are folded (case and diacritics), so the page may echo the term as typed
      // without showing the place's records, which carry the marker as `PhucKhoa`.
      case 'marker': return c.marker.toLowerCase();
      case 'tthc': return c.tthc.id;
      case 'issued': return c.issued;
      case 'draft': return c.draft;
      case 'copy': return c.copy;
      case 'file': return c.file;
      case 'no': return 1;
      case 'index': return 0;
      case 'tthcId': return f.maker.adoptedTthc(c);
      case 'templateId': return f.maker.freshTemplate(c);
      case 'oid': return f.maker.objective(c);
      case 'notification': return othersNotification(f);
      case 'check': return placeCheck(f, u, false);
      case 'freshCheck': return placeCheck(f, u, true);
      case 'sectionId': return 's1';
      case 'itemId': return 'i1';
      case 'pluginId': return 'iso-calendar';
      case 'reminderId': return 'qms-report-due';
      // Placeholders of issue 5 (actions area), 6, 7 and 8 below, each calling a function of its
      // own fixture file (test/fixtures/<area>-access.ts).
      case 'freshFinding': return act.accessFinding(f, u);
      case 'freshAction': return act.accessAction(f, u);
      case 'freshDoneAction': return act.accessAction(f, u, 'done');
      case 'freshMgmtReview': return act.accessReview(f, u);
      case 'programmeYear': return 2026;
      case 'programmeEntryId': return act.accessProgrammeEntry(f, u);
      case 'freshInspRead': return insp.readInspection(f, u);
      case 'freshInspOnSite': return insp.onSiteInspection(f, u);
      case 'aid': return insp.lastAttendance(f);
      case 'freshInspClosed': return insp.closedInspection(f, u);
      case 'freshCorrection': return insp.correction(f, u, false);
      case 'freshAnsweredCorrection': return insp.correction(f, u, true);
      case 'freshInspFile': return insp.inspectionFile(f, u);
      case 'freshTeam': return insp.team(f, u);
      case 'freshPlanItem': return insp.planItem(f, u);
      case 'freshOfficial': return insp.official(f, u);
      // A request that takes the file away gets one of its own.
      case 'checkFileId': return checkEvidence(f.ctx, await placeCheck(f, u, false), r.method !== 'GET');
      case 'freshStartedCheck': return startedCheck(f.ctx, await placeCheck(f, u, true));
      case 'freshSubmittedCheck': return submittedCheck(f.ctx, await placeCheck(f, u, true));
      case 'freshDocDraft': return accessDocument(f, u);
      case 'freshDocApproved': return accessDocument(f, u, 'approved');
      case 'freshDocIssued': return accessDocument(f, u, 'issued');
      default: throw new Error(`no value for :${name} in ${r.path}`);
    }
  };
  let url = '';
  let rest = r.path;
  for (let hit = /:([A-Za-z]+)/.exec(rest); hit; hit = /:([A-Za-z]+)/.exec(rest)) {
    url += rest.slice(0, hit.index) + String(await value(hit[1]!));
    rest = rest.slice(hit.index + hit[0].length);
  }
  return { url: url + rest, made };
}

/**
 * Row counts of the catalog's tables, the sums of the versions that every save and life-cycle
 * step bumps, and the adopted TTHC: a write of any kind changes one of them (the test clock
 * stands still, so timestamps would not show it).
 */
async function catalogCounts(ctx: TestContext): Promise<string> {
  const out: string[] = [];
  for (const t of ['tthc', 'unit_tthc', 'procedures', 'procedure_revisions', 'quality_policies', 'quality_objectives', 'catalog_files']) {
    const row = (await ctx.db(t).first(ctx.db.raw('count(*) as n'))) as { n: unknown };
    out.push(`${t} ${Number(row.n)}`);
  }
  for (const t of ['tthc', 'procedure_revisions']) {
    const row = (await ctx.db(t).first(ctx.db.raw('sum(version) as v'))) as { v: unknown };
    out.push(`${t} versions ${Number(row.v)}`);
  }
  const adopted = (await ctx.db('unit_tthc').whereNull('dropped_at').first(ctx.db.raw('count(*) as n'))) as { n: unknown };
  out.push(`adopted ${Number(adopted.n)}`);
  return out.join('; ');
}

async function unitRef(ctx: TestContext, code: string): Promise<UnitRef> {
  const row = (await ctx.db('units as u').leftJoin('units as p', 'p.id', 'u.parent_id').where('u.code', code)
    .first('u.id', 'u.code', 'u.name', 'u.kind', 'p.code as parent_code')) as Record<string, unknown>;
  return { id: Number(row.id), code: String(row.code), name: String(row.name), kind: String(row.kind), parentCode: String(row.parent_code) };
}

forEachDatabase('access: every route, every role, in and out of scope', (ctx) => {
  let cast: Record<CastRole, Member>;
  let f: Fixture;

  before(async function () {
    this.timeout(60_000);
    await seedTree(ctx());
    cast = await signInCast(ctx(), 'acc');
    const spare = await ctx().built.services.users.create(ctx().admin, { username: 'du-phong', fullName: 'Người dự phòng', password: 'mat-khau-du-phong' });
    let n = 0;
    const maker = new CatalogMaker(ctx());
    f = {
      ctx: ctx(),
      inside: { ...(await unitRef(ctx(), 'DNO-CJ-ND')), cat: await maker.place('DNO-CJ-ND', 'DNO', 'NamDong', '1.001193') },
      // The same national TTHC code in the other province's list, as in the real lists.
      outside: { ...(await unitRef(ctx(), 'LCA-TU-PK')), cat: await maker.place('LCA-TU-PK', 'LCA', 'PhucKhoa', '1.001193') },
      maker,
      spareUserId: spare.id,
      next: () => ++n,
      async spareRoleId() {
        const lca = await ctx().unitId('LCA');
        const found = (await ctx().db('user_roles').where({ user_id: spare.id, role: 'inspector', unit_id: lca }).first('id')) as { id: number } | undefined;
        if (found) return Number(found.id);
        const u = await ctx().built.services.users.addRole(ctx().admin, spare.id, { role: 'inspector', unitId: lca });
        return u.roles.find((r) => r.role === 'inspector' && r.unitId === lca)!.id;
      },
      async ownTokenId(m) {
        const users = ctx().built.services.users;
        const user = m ? (await users.sessionUser(m.userId))! : ctx().admin.user;
        return (await users.createToken({ user }, { name: 'Thu hồi thử' })).id;
      },
    };
  });

  describe('the route table', () => {
    it('has a row for every route the app mounts (public routes apart)', () => {
      const mounted = mountedRoutes((ctx().built.app as unknown as { router: { stack: Layer[] } }).router.stack);
      const known = new Set([...routes.map(routeKey), ...publicRoutes]);
      expect(mounted.filter((r) => !known.has(r)), 'routes without a row in the access table').to.deep.equal([]);
      expect([...new Set(routes.map(routeKey))].filter((r) => !mounted.includes(r)), 'rows for routes that do not exist').to.deep.equal([]);
    });

    for (const row of routes) {
      it(describeRow(row), async function () {
        this.timeout(60_000);
        const problems: string[] = [];
        for (const role of castRoles) {
          const m = cast[role];
          for (const where of isScoped(row) ? (['inside', 'outside'] as const) : (['inside'] as const)) {
            const u = f[where];
            const { url, made } = await fillPath(row, u, f, m);
            const res = await send(m.agent, row.method, url, { body: await row.body?.(u, f, made), csrf: m.csrf, file: row.file?.(u) });
            const want = expected(row, role, where);
            const label = `${role} ${row.method} ${url} (${where})`;
            if (res.status !== want) {
              problems.push(`${label}: expected ${want}, got ${res.status} ${res.text.slice(0, 200)}`);
              continue;
            }
            if (want === 404) {
              // "Does not exist": the page in Vietnamese, or the coded JSON error.
              if (url.startsWith('/api/')) {
                if ((res.body as { error?: { code?: string } }).error?.code !== 'NOT_FOUND') problems.push(`${label}: 404 without the NOT_FOUND body`);
              } else if (!res.text.includes(escapeHtml(viText('errors.NOT_FOUND')))) {
                problems.push(`${label}: 404 without the Vietnamese not-found page`);
              }
            }
            if (where === 'outside' && role === 'admin' && row.path.includes(':marker') && !res.text.includes(f.outside.cat.marker)) {
              // The same search finds the other province's records for the administrator, so an
              // empty answer for the others is the scope at work, not a search that matches nothing.
              problems.push(`${label}: the administrator's search does not find "${f.outside.cat.marker}"`);
            }
            if (where === 'outside' && role !== 'admin') {
              for (const leak of [f.outside.name, f.outside.code, 'Tỉnh Lai Châu', f.outside.cat.marker]) {
                if (res.text.includes(leak) || res.text.includes(escapeHtml(leak))) problems.push(`${label}: the answer shows "${leak}"`);
              }
            }
          }
        }
        expect(problems, problems.join('\n')).to.deep.equal([]);
      });
    }
  });

  describe('without signing in', () => {
    for (const row of routes) {
      const api = row.path.startsWith('/api/');
      const what = api ? '401 in JSON' : row.method === 'GET' ? 'a redirect to the sign-in page' : '401';
      it(`${row.method} ${row.path} answers ${what}`, async () => {
        const { url, made } = await fillPath(row, f.inside, f);
        const body = await row.body?.(f.inside, f, made);
        const unitsBefore = await ctx().db('units').count({ n: '*' });
        const catalogBefore = await catalogCounts(ctx());
        let res: request.Response;
        if (api) {
          // An API client without credentials: no cookie, no CSRF token, no bearer token.
          res = await send(request(ctx().built.app), row.method, url, { body });
          expect(res.status, res.text).to.equal(401);
          expect(res.type).to.equal('application/json');
          expect((res.body as { error: { code: string } }).error.code).to.equal('UNAUTHENTICATED');
        } else if (row.method === 'GET') {
          res = await send(request(ctx().built.app), row.method, url);
          expect(res.status).to.equal(302);
          expect(res.headers.location).to.equal(`/login?next=${encodeURIComponent(url)}`);
        } else {
          // A browser form with a valid (anonymous) CSRF token still needs a session.
          const agent = makeAgent(ctx().built);
          res = await send(agent, row.method, url, { body, csrf: await agent.csrf() });
          expect(res.status).to.equal(401);
          expect(res.text).to.include(viText('errors.UNAUTHENTICATED'));
        }
        expect(res.text).not.to.include(f.inside.name);
        expect(await ctx().db('units').count({ n: '*' })).to.deep.equal(unitsBefore);
        expect(await catalogCounts(ctx()), 'the catalog is unchanged').to.deep.equal(catalogBefore);
      });
    }
  });

  describe('a unit outside the scope named in a form or a JSON body', () => {
    it('reads exactly as a unit that does not exist, and creates nothing', async () => {
      const m = cast.coordinator;
      const before = await ctx().db('units').count({ n: '*' });
      const answers: string[] = [];
      for (const parentId of [String(f.outside.id), '999999']) {
        const body = { code: `NGOAI-${parentId}`, name: 'Xã ngoài phạm vi', kind: 'commune', parentId };
        const page = await send(m.agent, 'POST', '/units', { body, csrf: m.csrf });
        expect(page.status).to.equal(422);
        expect(page.text).to.include(`<p class="error">${escapeHtml(viText('v.parent_unknown'))}</p>`);
        const api = await send(m.agent, 'POST', '/api/v1/units', { body, csrf: m.csrf });
        expect(api.status).to.equal(422);
        const { error } = api.body as { error: { code: string; fields: Record<string, string> } };
        answers.push(JSON.stringify({ code: error.code, fields: error.fields }));
      }
      expect(answers[0]).to.equal(answers[1]);
      expect(await ctx().db('units').count({ n: '*' })).to.deep.equal(before);
    });

    it('a move or merge naming a unit of the other province is refused as unknown', async () => {
      const m = cast.coordinator;
      const et = await ctx().unitId('DNO-CJ-ET');
      const move = await send(m.agent, 'POST', `/units/${et}/move`, { body: { parentCode: 'LCA' }, csrf: m.csrf });
      expect(move.status).to.equal(422);
      expect(move.text).to.include(escapeHtml(viText('v.parent_unknown')));
      const merge = await send(m.agent, 'POST', `/api/v1/units/${et}/merge`, { body: { sources: ['LCA-TU-PK'], date: '2025-07-01' }, csrf: m.csrf });
      expect(merge.status).to.equal(422);
      expect(merge.body).to.nested.include({ 'error.fields.sources': viText('v.merge_unknown', { code: 'LCA-TU-PK' }) });
      const pk = (await ctx().db('units').where('code', 'LCA-TU-PK').first('active_to', 'merged_into_id')) as Record<string, unknown>;
      expect(pk).to.deep.equal({ active_to: null, merged_into_id: null });
    });
  });

  describe('the links of a unit page', () => {
    it('every record the unit page links to opens for each role that sees the page', async function () {
      this.timeout(60_000);
      const problems: string[] = [];
      for (const role of castRoles) {
        const page = await cast[role].agent.get(`/units/${f.inside.id}`);
        expect(page.status, role).to.equal(200);
        const nav = /<nav class="unit-links"[^>]*>([\s\S]*?)<\/nav>/.exec(page.text)?.[1] ?? '';
        const links = [...nav.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);
        if (links.length < 8) problems.push(`${role}: only ${links.length} links`);
        for (const link of links) {
          const res = await cast[role].agent.get(link);
          if (res.status !== 200 && res.status !== 302) problems.push(`${role} ${link}: ${res.status}`);
        }
      }
      expect(problems, problems.join('\n')).to.deep.equal([]);
    });
  });

  describe('the tree each role sees', () => {
    it('an officer of a commune signs in and cannot see another province in the tree or the search', async () => {
      const officer = cast.officer.agent;
      const tree = await officer.get('/units');
      expect(tree.status).to.equal(200);
      expect(tree.text).to.include('Xã Nam Dong');
      for (const other of ['Tỉnh Lai Châu', 'Xã Phúc Khoa', 'LCA']) expect(tree.text).not.to.include(other);

      for (const q of ['phuc khoa', 'Lai Châu', 'LCA-TU-PK', 'LCA']) {
        const page = await officer.get('/units').query({ q, status: 'all' });
        expect(page.status).to.equal(200);
        expect(page.text).to.include(viText('units.no_results'));
        expect(page.text).not.to.include(`href="/units/${f.outside.id}"`);
        const api = await officer.get('/api/v1/units').query({ q, status: 'all' });
        expect(api.status).to.equal(200);
        expect(api.body).to.deep.include({ data: [] });
        expect((api.body as { meta: { total: number } }).meta.total).to.equal(0);
      }
    });

    it('an officer lists only the units of their commune through the API', async () => {
      const res = await cast.officer.agent.get('/api/v1/units').query({ status: 'all', pageSize: 200 });
      const codes = (res.body as { data: Array<{ code: string }> }).data.map((u) => u.code);
      expect(codes).to.include('DNO-CJ-ND');
      expect(codes.every((c) => c.startsWith('DNO-CJ-ND') || c.startsWith('ACC-'))).to.equal(true, codes.join(','));
      const direct = await cast.officer.agent.get(`/api/v1/units/${await ctx().unitId('DNO')}`);
      expect(direct.status, 'the province above the officer').to.equal(404);
    });

    it('a coordinator of a province sees its whole subtree and nothing of the other province', async () => {
      const res = await cast.coordinator.agent.get('/api/v1/units').query({ status: 'all', pageSize: 200 });
      const codes = (res.body as { data: Array<{ code: string }> }).data.map((u) => u.code);
      expect(codes).to.include.members(['DNO', 'DNO-CJ', 'DNO-CJ-ND', 'DNO-CJ-ET', 'DNO-SKHCN']);
      expect(codes.filter((c) => c.startsWith('LCA'))).to.deep.equal([]);
      const tree = await cast.coordinator.agent.get('/units');
      expect(tree.text).to.include('Tỉnh Đắk Nông');
      expect(tree.text).not.to.include('Tỉnh Lai Châu');
    });

    it('the administrator sees both provinces', async () => {
      const tree = await cast.admin.agent.get('/units');
      expect(tree.text).to.include('Tỉnh Đắk Nông');
      expect(tree.text).to.include('Tỉnh Lai Châu');
    });
  });

  describe('the audit log', () => {
    it("a coordinator's log holds the entries of units of their province and none of the other province", async () => {
      const s = ctx().built.services.units;
      const pk = await ctx().unitId('LCA-TU-PK');
      const nd = await ctx().unitId('DNO-CJ-ND');
      await s.setIsoState(ctx().admin, pk, { state: 'applying', reason: 'Nhật ký ngoài tỉnh LCA-PK-REASON' });
      await s.setIsoState(ctx().admin, nd, { state: 'applying', reason: 'Nhật ký trong tỉnh DNO-ND-REASON' });

      const api = await cast.coordinator.agent.get('/api/v1/audit').query({ pageSize: 200 });
      expect(api.status).to.equal(200);
      const entries = (api.body as { data: Array<{ unitId: number | null; entity: string }> }).data;
      expect(entries.some((e) => e.unitId === nd)).to.equal(true);
      const lcaIds = (await ctx().db('units').where('code', 'like', 'LCA%').select('id')).map((r: { id: number }) => Number(r.id));
      expect(entries.filter((e) => e.unitId === null || lcaIds.includes(e.unitId))).to.deep.equal([]);
      expect(JSON.stringify(api.body)).not.to.include('LCA-PK-REASON');

      const page = await cast.coordinator.agent.get('/audit').query({ pageSize: 200 });
      expect(page.status).to.equal(200);
      expect(page.text).to.include('DNO-ND-REASON');
      expect(page.text).not.to.include('LCA-PK-REASON');
      expect(page.text).not.to.include('Xã Phúc Khoa');

      const admin = await cast.admin.agent.get('/api/v1/audit').query({ pageSize: 200 });
      expect(JSON.stringify(admin.body)).to.include('LCA-PK-REASON');
    });

    it('a coordinator filtering the log on a unit of the other province gets nothing of it', async () => {
      const pk = await ctx().unitId('LCA-TU-PK');
      const api = await cast.coordinator.agent.get('/api/v1/audit').query({ entity: 'unit', entityId: pk });
      expect(api.body).to.deep.include({ data: [] });
      const page = await cast.coordinator.agent.get('/audit').query({ entity: 'unit', entityId: pk });
      expect(page.text).to.include(viText('audit.empty'));
    });
  });
});
