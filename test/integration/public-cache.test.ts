import { expect } from 'chai';
import { forEachDatabase, makeAgent, csrfOf } from '../helpers/app.ts';
import { seedTree } from '../fixtures/tree.ts';
import { escapeHtml, viText } from '../fixtures/http.ts';
import { allRated, buildSipasApp } from '../fixtures/sipas-setup.ts';
import type { BuiltApp } from '../../src/app.ts';

const vi = (key: string, params?: Record<string, string | number>) => escapeHtml(viText(key, params));

forEachDatabase(
  'public page cache and the survey limit per unit',
  (ctx) => {
    let built: BuiltApp;
    let nd: number;

    before(async function () {
      this.timeout(60_000);
      await seedTree(ctx());
      built = buildSipasApp(ctx());
      nd = await ctx().unitId('DNO-CJ-ND');
      ctx().clock.set('2026-11-10T03:00:00Z');
    });

    it('reuses a unit’s page for PUBLIC_CACHE_SECONDS, then reads the figures again', async () => {
      const first = await makeAgent(built).get('/cong-khai/DNO-CJ-ND');
      expect(first.text).to.include(vi('sipas.public.no_figures'));
      const at = '2026-10-02T01:00:00.000Z';
      await ctx().db('on_time_figures').insert({
        unit_id: nd,
        period_start: '2026-07-01',
        period_end: '2026-09-30',
        received: 10,
        early: 5,
        on_time: 4,
        late: 1,
        apologies: 1,
        source: 'form',
        created_at: at,
        updated_at: at,
      });
      ctx().clock.advance(30_000);
      expect((await makeAgent(built).get('/cong-khai/DNO-CJ-ND')).text).to.include(vi('sipas.public.no_figures'));
      ctx().clock.advance(31_000);
      expect((await makeAgent(built).get('/cong-khai/DNO-CJ-ND')).text).to.include('90%');
    });

    it('answers 429 once a unit has had SURVEY_MAX_PER_UNIT_PER_HOUR answers in an hour, from anyone', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const agent = makeAgent(built);
        const token = csrfOf((await agent.get('/cong-khai/DNO-CJ-ND/khao-sat')).text);
        const res = await agent
          .post('/cong-khai/DNO-CJ-ND/khao-sat')
          .type('form')
          .send({ ...allRated('4'), _csrf: token })
          .redirects(0);
        statuses.push(res.status);
        if (res.status === 429) expect(res.text).to.include(vi('errors.SURVEY_THROTTLED'));
      }
      expect(statuses).to.deep.equal([303, 303, 429]);
    });
  },
  { PUBLIC_CACHE_SECONDS: '60', SURVEY_MAX_PER_UNIT_PER_HOUR: '2', SURVEY_MAX_PER_ADDRESS_PER_HOUR: '50' },
);
