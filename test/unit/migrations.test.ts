import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';

describe('migration files', () => {
  it('are named with a 14-digit timestamp and sorted without duplicates', () => {
    const dir = path.resolve(import.meta.dirname, '../../migrations');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts'));
    expect(files.length).to.be.greaterThan(0);
    for (const f of files) expect(f, f).to.match(/^\d{14}_[a-z0-9_-]+\.ts$/);
    const stamps = files.map((f) => f.slice(0, 14));
    expect(new Set(stamps).size).to.equal(stamps.length);
  });
});
