import { describe, expect, it } from 'vitest';
import { parseCidrList } from '../../platform/net/ip-ranges';
import type { HostResolver } from '../../platform/net/address-policy';
import { refusedSsoUrlReason } from './address-policy';

const resolveTo = (...addresses: string[]): HostResolver => async () => addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('where an SSO connection may point', () => {
  it('refuses internal address literals in any spelling', async () => {
    for (const url of ['https://127.0.0.1:6379/', 'https://2130706433/', 'https://[::1]/', 'https://[::ffff:10.0.0.1]/', 'https://169.254.169.254/latest', 'https://10.1.2.3/realms/x']) {
      expect(await refusedSsoUrlReason(url, [])).toMatch(/public address/);
    }
  });

  it('refuses a host name that resolves to an internal address (any of its answers)', async () => {
    expect(await refusedSsoUrlReason('https://idp.example.com/', [], resolveTo('93.184.216.34', '10.0.0.5'))).toMatch(/10\.0\.0\.5/);
    expect(await refusedSsoUrlReason('https://metadata.example/', [], resolveTo('169.254.169.254'))).toMatch(/public address/);
  });

  it('allows public addresses, and internal ranges the operator allowed', async () => {
    expect(await refusedSsoUrlReason('https://idp.example.com/', [], resolveTo('93.184.216.34'))).toBeNull();
    expect(await refusedSsoUrlReason('https://keycloak.internal/', parseCidrList('10.0.0.0/8'), resolveTo('10.20.0.4'))).toBeNull();
  });

  it('names a host that does not resolve', async () => {
    const failing: HostResolver = async () => { throw Object.assign(new Error('nope'), { code: 'ENOTFOUND' }); };
    expect(await refusedSsoUrlReason('https://nowhere.example/', [], failing)).toMatch(/could not be resolved \(ENOTFOUND\)/);
  });
});
