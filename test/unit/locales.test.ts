import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { errorCatalogue } from '../../src/http/errors.ts';
import { Translator } from '../../src/lib/i18n.ts';

const dir = path.resolve(import.meta.dirname, '../../src/locales');
function keys(o: unknown, prefix = ''): string[] {
  if (o === null || typeof o !== 'object') return [prefix];
  return Object.entries(o as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe('locale files', () => {
  const vi = JSON.parse(fs.readFileSync(path.join(dir, 'vi.json'), 'utf8')) as unknown;
  const en = JSON.parse(fs.readFileSync(path.join(dir, 'en.json'), 'utf8')) as unknown;

  it('have the same keys in Vietnamese and English', () => {
    expect(keys(en).sort()).to.deep.equal(keys(vi).sort());
  });

  it('have a Vietnamese message for every catalogued error', () => {
    const t = new Translator();
    for (const code of Object.keys(errorCatalogue)) expect(t.has('vi', `errors.${code}`), code).to.equal(true);
  });

  it('fill parameters into messages', () => {
    expect(new Translator().t('vi', 'v.too_long', { n: 300 })).to.equal('Tối đa 300 ký tự.');
  });
});
