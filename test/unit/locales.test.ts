import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { errorCatalogue } from '../../src/kernel/errors.ts';
import { localeAreaFiles, Translator } from '../../src/lib/i18n.ts';

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

  for (const file of localeAreaFiles(dir, 'vi')) {
    const area = file.slice(0, -'.vi.json'.length);
    it(`have the same keys in Vietnamese and English for ${area}`, () => {
      const read = (f: string) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as unknown;
      expect(fs.existsSync(path.join(dir, `${area}.en.json`)), `${area}.en.json`).to.equal(true);
      expect(keys(read(`${area}.en.json`)).sort()).to.deep.equal(keys(read(file)).sort());
    });
  }

  it('refuse an area file that defines a key again', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'locales-'));
    for (const l of ['vi', 'en']) {
      fs.writeFileSync(path.join(tmp, `${l}.json`), JSON.stringify({ a: { b: 'x' } }));
      fs.writeFileSync(path.join(tmp, `area.${l}.json`), JSON.stringify({ a: { b: 'y' } }));
    }
    expect(() => new Translator(tmp)).to.throw(/a\.b is already defined/);
    fs.writeFileSync(path.join(tmp, 'area.vi.json'), JSON.stringify({ a: { c: 'z' } }));
    fs.writeFileSync(path.join(tmp, 'area.en.json'), JSON.stringify({ a: { c: 'z' } }));
    expect(new Translator(tmp).t('vi', 'a.c')).to.equal('z');
  });

  it('have a Vietnamese message for every catalogued error', () => {
    const t = new Translator();
    for (const code of Object.keys(errorCatalogue)) expect(t.has('vi', `errors.${code}`), code).to.equal(true);
  });

  it('fill parameters into messages', () => {
    expect(new Translator().t('vi', 'v.too_long', { n: 300 })).to.equal('Tối đa 300 ký tự.');
  });
});
