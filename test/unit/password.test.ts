import { expect } from 'chai';
import { hashPassword, verifyPassword } from '../../src/auth/password.ts';

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const h = await hashPassword('Mật khẩu đúng 123', 1024);
    expect(h).to.match(/^scrypt\$1024\$8\$1\$/);
    expect(await verifyPassword('Mật khẩu đúng 123', h)).to.equal(true);
    expect(await verifyPassword('Mật khẩu sai 123', h)).to.equal(false);
  });

  it('salts every hash, so equal passwords do not give equal hashes', async () => {
    expect(await hashPassword('abcdefgh', 1024)).to.not.equal(await hashPassword('abcdefgh', 1024));
  });

  it('accepts the same password typed in decomposed Unicode', async () => {
    const h = await hashPassword('Nguyễn', 1024);
    expect(await verifyPassword('Nguyễn'.normalize('NFD'), h)).to.equal(true);
  });
});
