import { expect } from 'chai';
import crypto from 'node:crypto';
import type { BuiltApp } from '../../src/app.ts';
import { forEachDatabase } from '../helpers/app.ts';
import { seedTree } from '../fixtures/tree.ts';
import { buildChecksApp, htmlAsJpg, issuedProcedure, pdf, person, png, vi, viHtml, type Person } from '../fixtures/checks-setup.ts';

forEachDatabase('checks: evidence files, findings by hand, leader sign-off', (ctx) => {
  let built: BuiltApp;
  let nd: number;
  let officer: Person;
  let leader: Person;
  let viewer: Person;
  let outsider: Person;

  const put = (who: Person, id: number, itemId: string, body: Record<string, unknown>) =>
    who.agent.put(`/api/v1/checks/${id}/answers/${itemId}`).set('x-csrf-token', who.token).send(body);
  const upload = (who: Person, id: number, itemId: string, name: string, content: Buffer) =>
    who.agent.post(`/checks/${id}/items/${itemId}/files`).field('_csrf', who.token).attach('file', content, name);
  const fileCount = async (id: number) => Number(((await ctx().db('check_files').where('check_id', id).count({ n: '*' })) as Array<{ n: unknown }>)[0]!.n);

  async function plan(): Promise<number> {
    const res = await officer.agent
      .post(`/api/v1/units/${nd}/checks`)
      .set('x-csrf-token', officer.token)
      .send({ formId: 'kiem-tra-chu-ky', formVersion: 1, checkDate: '2026-03-02' });
    expect(res.status, res.text).to.equal(201);
    return (res.body as { data: { id: number } }).data.id;
  }
  async function submitted(): Promise<number> {
    const id = await plan();
    await put(officer, id, 'q1', { value: 'no' });
    await put(officer, id, 'q2', { value: 'yes' });
    const res = await officer.agent.post(`/api/v1/checks/${id}/submit`).set('x-csrf-token', officer.token);
    expect(res.status, res.text).to.equal(200);
    return id;
  }

  before(async function () {
    this.timeout(60_000);
    const c = ctx();
    await seedTree(c);
    built = buildChecksApp(c);
    nd = await c.unitId('DNO-CJ-ND');
    officer = await person(c, built, 'officer', 'DNO-CJ-ND');
    leader = await person(c, built, 'leader', 'DNO-CJ-ND');
    viewer = await person(c, built, 'viewer', 'DNO');
    outsider = await person(c, built, 'coordinator', 'LCA');
  });

  it('keeps an evidence photo of an item with its SHA-256 and shows it inline', async () => {
    const id = await plan();
    const res = await upload(officer, id, 'q1', 'kho-ho-so.png', png);
    expect(res.status, res.text).to.equal(302);
    const row = (await ctx().db('check_files').where('check_id', id).first('id', 'item_id', 'mime', 'size', 'sha256')) as Record<string, unknown>;
    expect(row).to.deep.include({ item_id: 'q1', mime: 'image/png', sha256: crypto.createHash('sha256').update(png).digest('hex') });
    expect(Number(row.size)).to.equal(png.length);
    const page = await officer.agent.get(`/checks/${id}`);
    expect(page.text).to.include(`<img src="/checks/${id}/files/${Number(row.id)}"`);
    const served = await viewer.agent.get(`/checks/${id}/files/${Number(row.id)}`).buffer(true);
    expect(served.status).to.equal(200);
    expect(served.headers['content-type']).to.equal('image/png');
    expect(served.headers['content-disposition']).to.match(/^inline; filename="kho-ho-so.png"/);
    expect(Buffer.compare(served.body as Buffer, png)).to.equal(0);
    // Outside the scope the file does not exist, nor under another check's id.
    expect((await outsider.agent.get(`/checks/${id}/files/${Number(row.id)}`)).status).to.equal(404);
    const other = await plan();
    expect((await officer.agent.get(`/checks/${other}/files/${Number(row.id)}`)).status).to.equal(404);
  });

  it('answers a photo item with its photo, and offers other files as links', async () => {
    const id = await plan();
    expect((await upload(officer, id, 'photo', 'anh.png', png)).status).to.equal(302);
    expect((await upload(officer, id, 'q2', 'bien-ban.pdf', pdf)).status).to.equal(302);
    const d = (await officer.agent.get(`/api/v1/checks/${id}`)).body as {
      data: { answers: Array<{ itemId: string; value: string }>; files: Array<{ itemId: string; fileName: string; url: string; image: boolean }> };
    };
    expect(d.data.answers.find((a) => a.itemId === 'photo')?.value).to.equal('anh.png');
    expect(d.data.files.map((f) => [f.itemId, f.fileName, f.image])).to.deep.equal([
      ['photo', 'anh.png', true],
      ['q2', 'bien-ban.pdf', false],
    ]);
    const page = await officer.agent.get(`/checks/${id}`);
    expect(page.text).to.include(`>bien-ban.pdf</a>`);
  });

  it('takes back a wrong photo before submit: the item is answered by the photo left, then by none', async () => {
    const id = await plan();
    expect((await upload(officer, id, 'photo', 'anh-dung.png', png)).status).to.equal(302);
    expect((await upload(officer, id, 'photo', 'anh-nham.png', png)).status).to.equal(302);
    const [right, wrong] = ((await ctx().db('check_files').where('check_id', id).orderBy('id').select('id')) as Array<{ id: number }>).map((r) =>
      Number(r.id),
    ) as [number, number];
    const answerOf = async () =>
      ((await ctx().db('check_answers').where({ check_id: id, item_id: 'photo' }).first('value')) as { value: string } | undefined)?.value;
    expect(await answerOf()).to.equal('anh-nham.png');
    const page = await officer.agent.get(`/checks/${id}`);
    expect(page.text).to.include(`form="rm-${wrong}"`).and.to.include(`action="/checks/${id}/files/${wrong}/remove"`);
    const remove = (who: Person, fileId: number, checkId = id) =>
      who.agent.post(`/checks/${checkId}/files/${fileId}/remove`).type('form').send({ _csrf: who.token });
    // Readers who may not answer, someone of another province, and another check's id: not found.
    expect((await remove(viewer, wrong)).status).to.equal(404);
    expect((await remove(outsider, wrong)).status).to.equal(404);
    expect((await remove(officer, wrong, await plan())).status).to.equal(404);
    const res = await remove(officer, wrong);
    expect(res.status).to.equal(302);
    expect(res.headers.location).to.equal(`/checks/${id}?notice=removed`);
    expect(await answerOf()).to.equal('anh-dung.png');
    const audit = (await ctx().db('audit_log').where({ entity: 'check', entity_id: id, action: 'detach' }).first('before')) as { before: string };
    expect(JSON.parse(audit.before)).to.deep.include({
      fileId: wrong,
      fileName: 'anh-nham.png',
      sha256: crypto.createHash('sha256').update(png).digest('hex'),
    });
    expect((await remove(officer, right)).status).to.equal(302);
    expect(await answerOf(), 'no photo left: the item is unanswered again').to.equal(undefined);
    expect(await fileCount(id)).to.equal(0);
  });

  it('keeps the evidence of a submitted check', async () => {
    const id = await plan();
    expect((await upload(officer, id, 'q2', 'bien-ban.pdf', pdf)).status).to.equal(302);
    await put(officer, id, 'q1', { value: 'no' });
    await put(officer, id, 'q2', { value: 'yes' });
    expect((await officer.agent.post(`/api/v1/checks/${id}/submit`).set('x-csrf-token', officer.token)).status).to.equal(200);
    const fileId = Number(((await ctx().db('check_files').where('check_id', id).first('id')) as { id: number }).id);
    const res = await officer.agent.post(`/checks/${id}/files/${fileId}/remove`).type('form').send({ _csrf: officer.token });
    expect(res.status).to.equal(409);
    expect(res.text).to.include(viHtml('errors.CHECK_LOCKED'));
    expect(await fileCount(id)).to.equal(1);
  });

  it('refuses a file of a refused type, one whose content is not its extension, and an empty one: 422 next to the item, nothing stored', async () => {
    const id = await plan();
    const cases: Array<[string, Buffer, string]> = [
      ['virus.exe', Buffer.from('MZ\x90\x00'), 'v.check_file_type'],
      ['anh.jpg', htmlAsJpg, 'v.check_file_mismatch'],
      ['bang.xlsx', pdf, 'v.check_file_mismatch'],
      ['rong.png', Buffer.alloc(0), 'v.check_file_empty'],
    ];
    for (const [name, content, key] of cases) {
      const res = await upload(officer, id, 'q1', name, content);
      expect(res.status, name).to.equal(422);
      expect(res.text, name).to.include(viHtml(key));
      expect(res.text).to.include('class="error file-error"');
    }
    expect(await fileCount(id)).to.equal(0);
  });

  it('refuses a file over CHECK_UPLOAD_MAX_KB with the limit in the message', async () => {
    const id = await plan();
    const big = Buffer.concat([png, Buffer.alloc(built.services.checks.files.maxBytes + 10)]);
    const res = await upload(officer, id, 'q1', 'lon.png', big);
    expect(res.status).to.equal(422);
    expect(res.text).to.include(viHtml('v.check_file_too_large', { size: '10 MB' }));
    expect(await fileCount(id)).to.equal(0);
  });

  it('takes WebP photos and Word and Excel files by their content, and refuses one office type named as the other', async () => {
    const id = await plan();
    const zip = (folder: string) => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from(`....[Content_Types].xml....${folder}document.xml....`)]);
    const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x24, 0, 0, 0]), Buffer.from('WEBPVP8 ')]);
    for (const [name, content] of [
      ['anh.webp', webp],
      ['bien-ban.docx', zip('word/')],
      ['so-lieu.xlsx', zip('xl/')],
    ] as const) {
      expect((await upload(officer, id, 'q3', name, content)).status, name).to.equal(302);
    }
    const wrong = await upload(officer, id, 'q3', 'so-lieu.xlsx', zip('word/'));
    expect(wrong.status).to.equal(422);
    const d = (await officer.agent.get(`/api/v1/checks/${id}`)).body as { data: { files: Array<{ fileName: string; mime: string }> } };
    expect(d.data.files.map((f) => [f.fileName, f.mime])).to.deep.equal([
      ['anh.webp', 'image/webp'],
      ['bien-ban.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['so-lieu.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ]);
    // Word and Excel files are downloaded, never opened in the page.
    const files = (await ctx().db('check_files').where('check_id', id).orderBy('id').select('id')) as Array<{ id: number }>;
    const docx = await officer.agent.get(`/checks/${id}/files/${Number(files[1]!.id)}`);
    expect(docx.headers['content-disposition']).to.match(/^attachment; filename="bien-ban.docx"/);
  });

  it('refuses uploads once the check is submitted (409), and to those who may not answer (404)', async () => {
    const id = await plan();
    expect((await upload(viewer, id, 'q1', 'a.png', png)).status).to.equal(404);
    expect((await upload(outsider, id, 'q1', 'a.png', png)).status).to.equal(404);
    expect((await upload(officer, id, 'khong-co', 'a.png', png)).status).to.equal(404);
    const done = await submitted();
    const res = await upload(officer, done, 'q1', 'a.png', png);
    expect(res.status).to.equal(409);
    expect(res.text).to.include(viHtml('errors.CHECK_LOCKED'));
    expect((await fileCount(id)) + (await fileCount(done))).to.equal(0);
  });

  it('adds a finding by hand with its clause, procedure, description and evidence, listed with the automatic ones', async () => {
    const id = await submitted();
    const proc = await issuedProcedure(ctx(), nd, `QT-${id}`);
    const res = await officer.agent
      .post(`/checks/${id}/findings`)
      .field('_csrf', officer.token)
      .field('severity', 'minor')
      .field('clauseRef', '7.1.3')
      .field('procedureId', String(proc))
      .field('itemId', '')
      .field('description', 'Máy tính bộ phận một cửa hỏng, chưa sửa.')
      .attach('file', png, 'may-hong.png');
    expect(res.status, res.text).to.equal(302);
    const d = (await officer.agent.get(`/api/v1/checks/${id}`)).body as {
      data: { findings: Array<Record<string, unknown>>; files: Array<{ findingId: number | null }> };
    };
    expect(d.data.findings.map((f) => [f.source, f.severity, f.clauseRef])).to.deep.equal([
      ['automatic', 'major', '8.5.1'],
      ['manual', 'minor', '7.1.3'],
    ]);
    const manual = d.data.findings[1]!;
    expect(manual).to.deep.include({
      procedureId: proc,
      procedureCode: `QT-${id}`,
      description: 'Máy tính bộ phận một cửa hỏng, chưa sửa.',
      createdBy: officer.userId,
    });
    expect(d.data.files.map((f) => f.findingId)).to.deep.equal([manual.id]);
    const page = await viewer.agent.get(`/checks/${id}`);
    expect(page.text).to.include('Máy tính bộ phận một cửa hỏng, chưa sửa.');
    expect(page.text).to.include(`QT-${id} Quy trình QT-${id}`);
    // Through the API, without a file.
    const api = await officer.agent
      .post(`/api/v1/checks/${id}/findings`)
      .set('x-csrf-token', officer.token)
      .send({ severity: 'observation', clauseRef: '9.1.3', description: 'Nên khảo sát thêm.', itemId: 'q3' });
    expect(api.status, api.text).to.equal(201);
    expect((api.body as { data: { itemId: string; sectionId: string } }).data).to.deep.include({ itemId: 'q3', sectionId: 's1' });
  });

  it("refuses a finding with missing fields, another unit's procedure or a bad file, keeping what was typed; stores nothing", async () => {
    const id = await submitted();
    const pk = await ctx().unitId('LCA-TU-PK');
    const foreign = await issuedProcedure(ctx(), pk, `QT-NGOAI-${id}`);
    const before = (await ctx().db('check_findings').where('check_id', id)).length;
    const res = await officer.agent
      .post(`/checks/${id}/findings`)
      .field('_csrf', officer.token)
      .field('severity', 'nang')
      .field('clauseRef', '')
      .field('procedureId', String(foreign))
      .field('description', 'Mô tả giữ lại')
      .attach('file', htmlAsJpg, 'anh.jpg');
    expect(res.status).to.equal(422);
    for (const key of ['v.choose', 'v.required', 'v.check_procedure_unknown', 'v.check_file_mismatch']) expect(res.text, key).to.include(viHtml(key));
    expect(res.text).to.include('Mô tả giữ lại</textarea>');
    expect(res.text).not.to.include(`QT-NGOAI-${id}`);
    expect((await ctx().db('check_findings').where('check_id', id)).length).to.equal(before);
    expect(await fileCount(id)).to.equal(0);
    const api = await officer.agent
      .post(`/api/v1/checks/${id}/findings`)
      .set('x-csrf-token', officer.token)
      .send({ severity: 'minor', clauseRef: '7.5', description: 'x', itemId: 'khong-co' });
    expect(api.status).to.equal(422);
    // A check not started yet has nothing to find.
    const fresh = await plan();
    const early = await officer.agent
      .post(`/api/v1/checks/${fresh}/findings`)
      .set('x-csrf-token', officer.token)
      .send({ severity: 'minor', clauseRef: '7.5', description: 'Sớm quá' });
    expect(early.status).to.equal(409);
    expect((early.body as { error: { code: string } }).error.code).to.equal('CHECK_NOT_STARTED');
    expect(
      (
        await viewer.agent
          .post(`/api/v1/checks/${id}/findings`)
          .set('x-csrf-token', viewer.token)
          .send({ severity: 'minor', clauseRef: '7.5', description: 'x' })
      ).status,
    ).to.equal(404);
  });

  it('is signed off by the unit leader after the submit, once; refused before (409) and to others (404)', async () => {
    const id = await plan();
    await put(officer, id, 'q1', { value: 'yes' });
    const early = await leader.agent.post(`/checks/${id}/sign-off`).type('form').send({ _csrf: leader.token });
    expect(early.status).to.equal(409);
    expect(early.text).to.include(viHtml('errors.CHECK_NOT_SUBMITTED'));
    await put(officer, id, 'q2', { value: 'no' });
    expect((await officer.agent.post(`/api/v1/checks/${id}/submit`).set('x-csrf-token', officer.token)).status).to.equal(200);
    expect((await officer.agent.post(`/api/v1/checks/${id}/sign-off`).set('x-csrf-token', officer.token)).status).to.equal(404);
    expect((await outsider.agent.post(`/api/v1/checks/${id}/sign-off`).set('x-csrf-token', outsider.token)).status).to.equal(404);
    const shown = await leader.agent.get(`/checks/${id}`);
    expect(shown.text).to.include(`action="/checks/${id}/sign-off"`);
    ctx().clock.advance(3600_000);
    const ok = await leader.agent.post(`/checks/${id}/sign-off`).type('form').send({ _csrf: leader.token });
    expect(ok.status).to.equal(302);
    const d = (await viewer.agent.get(`/api/v1/checks/${id}`)).body as { data: { signOff: { userId: number; fullName: string; at: string } } };
    expect(d.data.signOff).to.deep.include({ userId: leader.userId, fullName: leader.fullName, at: ctx().clock.now().toISOString() });
    const page = await viewer.agent.get(`/checks/${id}`);
    expect(page.text).to.include(leader.fullName);
    expect(page.text).not.to.include(`action="/checks/${id}/sign-off"`);
    const twice = await leader.agent.post(`/api/v1/checks/${id}/sign-off`).set('x-csrf-token', leader.token);
    expect(twice.status).to.equal(409);
    expect((twice.body as { error: { message: string } }).error.message).to.equal(vi('errors.CHECK_SIGNED'));
    // Signed off: no more findings.
    const late = await officer.agent
      .post(`/api/v1/checks/${id}/findings`)
      .set('x-csrf-token', officer.token)
      .send({ severity: 'minor', clauseRef: '7.5', description: 'Muộn' });
    expect(late.status).to.equal(409);
    const logged = (await ctx().db('audit_log').where({ entity: 'check', entity_id: id, action: 'sign_off' }).select('user_id')) as Array<{ user_id: number }>;
    expect(logged.map((l) => Number(l.user_id))).to.deep.equal([leader.userId]);
  });
});
