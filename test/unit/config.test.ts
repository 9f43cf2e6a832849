import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../src/config/config.ts';

describe('configuration', () => {
  it('runs on the embedded SQLite file and port 3000 with no settings at all', () => {
    const c = loadConfig({});
    expect(c.databaseUrl).to.equal('sqlite:data/isotrack.sqlite');
    expect(c.port).to.equal(3000);
    expect(c.cookieSecure).to.equal(false);
  });

  it('marks cookies secure behind an HTTPS proxy', () => {
    expect(loadConfig({ TRUST_PROXY: 'true' }).cookieSecure).to.equal(true);
  });

  it('refuses a bad setting with a message naming it', () => {
    expect(() => loadConfig({ PORT: 'abc' })).to.throw(ConfigError, /PORT/);
    expect(() => loadConfig({ SESSION_SECRET: 'short' })).to.throw(ConfigError, /SESSION_SECRET/);
  });
});
