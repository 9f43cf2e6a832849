import { expect } from 'chai';
import { cronWords } from '../../src/plugins/cron-words.ts';

describe('a reminder schedule in words', () => {
  it('says the shapes the bundled reminders use as a day and a time', () => {
    expect(cronWords('0 7 * * *')).to.deep.equal({ key: 'plugins.schedule.daily', params: { time: '07:00' } });
    expect(cronWords('15 7 * * 1-5')).to.deep.equal({ key: 'plugins.schedule.weekdays', params: { time: '07:15' } });
    expect(cronWords('30 7 * * 1')).to.deep.equal({ key: 'plugins.schedule.weekly_1', params: { time: '07:30' } });
    expect(cronWords('0 8 7 * 7')).to.deep.equal({ key: 'plugins.schedule.custom', params: {} });
    expect(cronWords('0 8 1 * *')).to.deep.equal({ key: 'plugins.schedule.monthly', params: { time: '08:00', day: 1 } });
    expect(cronWords('0 7 1 3 *')).to.deep.equal({ key: 'plugins.schedule.yearly', params: { time: '07:00', day: 1, month: 3 } });
  });

  it('calls anything else the reminder’s own schedule', () => {
    for (const expr of ['*/5 * * * *', '0 7 * * 1,3', '0 7', '0 7 1-7 * 1']) expect(cronWords(expr).key, expr).to.equal('plugins.schedule.custom');
  });
});
