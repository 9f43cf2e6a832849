import { expect } from 'chai';
import { inScope, scopeFor, type SessionUser } from '../../src/auth/roles.ts';

const user = (roles: SessionUser['roles']): SessionUser => ({
  id: 1,
  username: 'u',
  fullName: 'U',
  email: null,
  locale: 'vi',
  emailNotifications: true,
  roles,
});
const role = (r: SessionUser['roles'][number]['role'], unitPath: string) => ({ id: 1, role: r, unitId: 1, unitPath, unitName: 'x', unitCode: 'x' });

describe('unit scope', () => {
  it('holds a role on the unit and its whole subtree, not on its siblings or parent', () => {
    const s = scopeFor(user([role('officer', '/1/5/')]), 'unit.read');
    expect(inScope(s, '/1/5/')).to.equal(true);
    expect(inScope(s, '/1/5/9/')).to.equal(true);
    expect(inScope(s, '/1/')).to.equal(false);
    expect(inScope(s, '/1/50/')).to.equal(false);
  });

  it('gives an officer no right to manage units', () => {
    expect(scopeFor(user([role('officer', '/1/5/')]), 'unit.manage')).to.deep.equal({ all: false, paths: [] });
  });

  it('drops a path already covered by a wider one', () => {
    const s = scopeFor(user([role('coordinator', '/1/'), role('coordinator', '/1/5/')]), 'unit.manage');
    expect(s).to.deep.equal({ all: false, paths: ['/1/'] });
  });
});
