import { describe, expect, it } from 'vitest';
import { readGroupClaim } from './group-sync';

describe('readGroupClaim', () => {
  it('reads the claim the connection names: a list, a single string, or a nested path (Keycloak realm roles)', () => {
    expect(readGroupClaim({ groups: ['a', 'b', 3] }, 'groups')).toEqual(['a', 'b']);
    expect(readGroupClaim({ roles: 'admin' }, 'roles')).toEqual(['admin']);
    expect(readGroupClaim({ realm_access: { roles: ['acme-admins'] } }, 'realm_access.roles')).toEqual(['acme-admins']);
    expect(readGroupClaim({ 'https://example.com/groups': ['x'] }, 'https://example.com/groups')).toEqual(['x']);
  });

  it('finds nothing in a claim that is missing or not a list of strings', () => {
    expect(readGroupClaim({}, 'groups')).toEqual([]);
    expect(readGroupClaim({ groups: { admins: true } }, 'groups')).toEqual([]);
    expect(readGroupClaim({ realm_access: null }, 'realm_access.roles')).toEqual([]);
  });
});
