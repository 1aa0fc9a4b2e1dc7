import { describe, expect, it } from 'vitest';
import { parseCidrList } from '../../platform/net/ip-ranges';
import { validateWebhookUrl, type WebhookUrlPolicy } from './url-policy';
import type { HostResolver } from '../../platform/net/address-policy';
import { assertDeliverableAddress } from './resolve-target';

const production: WebhookUrlPolicy = { allowedCidrs: [], allowHttp: false };
const development: WebhookUrlPolicy = { allowedCidrs: [], allowHttp: true };
const loopbackAllowed: WebhookUrlPolicy = { allowedCidrs: parseCidrList('127.0.0.0/8'), allowHttp: true };

const refused = (url: string, policy = production) => {
  const check = validateWebhookUrl(url, policy);
  return check.ok ? null : check.error;
};
const resolvesTo = (...addresses: string[]): HostResolver => async () => addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('webhook URLs at save time', () => {
  it('accepts https to a public host, and a public address', () => {
    expect(validateWebhookUrl('https://hooks.example.com/bulwark', production)).toEqual({ ok: true });
    expect(validateWebhookUrl('https://93.184.215.14:8443/hook', production)).toEqual({ ok: true });
    expect(validateWebhookUrl('https://[2606:4700::6810:84e5]/hook', production)).toEqual({ ok: true });
  });

  it('refuses plain http in production, and allows it in development', () => {
    expect(refused('http://hooks.example.com/')).toMatch(/Use an https:\/\/ URL/);
    expect(refused('http://hooks.example.com/', development)).toBeNull();
    expect(refused('ftp://example.com/', development)).toMatch(/https:\/\/ or http:\/\//);
    expect(refused('not a url')).toMatch(/full URL/);
    expect(refused('https://user:pass@hooks.example.com/')).toMatch(/user name or password/);
  });

  it.each([
    ['https://127.0.0.1:6379', 'loopback'],
    ['https://2130706433/', 'loopback'], // decimal spelling of 127.0.0.1
    ['https://0x7f.1/', 'loopback'],
    ['https://127.1/', 'loopback'],
    ['https://localhost/', 'loopback'],
    ['https://api.localhost/', 'loopback'],
    ['https://[::1]/', 'loopback'],
    ['https://[::ffff:127.0.0.1]/', 'loopback'], // IPv4-mapped IPv6
    ['https://[::ffff:7f00:1]/', 'loopback'],
    ['https://[64:ff9b::127.0.0.1]/', 'NAT64 address for 127.0.0.1, a loopback'],
    ['https://[64:ff9b::a9fe:a9fe]/', 'NAT64 address for 169.254.169.254, a link-local'],
    ['https://0.0.0.0/', 'unspecified'],
    ['https://0/', 'unspecified'],
    ['https://[::]/', 'unspecified'],
    ['https://169.254.169.254/latest/meta-data', 'link-local'],
    ['https://[fe80::1]/', 'link-local'],
    ['https://[fe9f::1]/', 'link-local'],
    ['https://10.0.0.5/', 'private'],
    ['https://172.16.3.4/', 'private'],
    ['https://192.168.1.1/', 'private'],
    ['https://[fd00::1]/', 'unique local'],
    ['https://[fd00:ec2::254]/', 'unique local'], // AWS's IPv6 metadata address
    ['https://100.64.0.1/', 'carrier-grade NAT'],
    ['https://100.100.100.200/', 'carrier-grade NAT'], // Alibaba Cloud's metadata address
    ['https://224.0.0.1/', 'multicast'],
    ['https://255.255.255.255/', 'broadcast'],
    ['https://metadata.google.internal/computeMetadata/v1/', 'metadata'],
    ['https://METADATA.GOOGLE.INTERNAL./', 'metadata'],
    ['https://metadata/', 'metadata'],
    ['https://instance-data.ec2.internal/', 'metadata'],
  ])('refuses %s (%s)', (url, what) => {
    const error = refused(url);
    expect(error).toContain(what);
    expect(error).toContain('WEBHOOK_ALLOWED_CIDRS');
  });

  it('lets an operator allow an internal range explicitly, and only that range', () => {
    expect(refused('http://127.0.0.1:9000/hook', loopbackAllowed)).toBeNull();
    expect(refused('http://localhost:9000/hook', loopbackAllowed)).toBeNull();
    expect(refused('https://[::ffff:127.0.0.1]/', loopbackAllowed)).toBeNull();
    expect(refused('http://10.0.0.5/', loopbackAllowed)).toMatch(/private/);
    expect(refused('https://169.254.169.254/', { allowedCidrs: parseCidrList('10.0.0.0/8, 192.168.0.0/16'), allowHttp: false })).toMatch(/link-local/);
    expect(refused('https://10.1.2.3/', { allowedCidrs: parseCidrList('10.0.0.0/8'), allowHttp: false })).toBeNull();
  });
});

describe('webhook addresses at delivery time', () => {
  it('connects to the address it checked, keeping the URL (and so Host and SNI) as given', async () => {
    const target = await assertDeliverableAddress('https://hooks.example.com/x', { policy: production, resolve: resolvesTo('93.184.215.14') });
    expect(target).toMatchObject({ address: '93.184.215.14', family: 4 });
    expect(target.url.hostname).toBe('hooks.example.com');
  });

  it('refuses a public name that resolves to an internal address (DNS rebinding)', async () => {
    await expect(assertDeliverableAddress('https://rebind.example.com/', { policy: production, resolve: resolvesTo('127.0.0.1') }))
      .rejects.toThrow('"rebind.example.com" resolves to 127.0.0.1, a loopback address');
    await expect(assertDeliverableAddress('https://rebind.example.com/', { policy: production, resolve: resolvesTo('169.254.169.254') }))
      .rejects.toThrow(/link-local/);
    await expect(assertDeliverableAddress('https://rebind.example.com/', { policy: production, resolve: resolvesTo('::ffff:10.0.0.1') }))
      .rejects.toThrow(/10\.0\.0\.1, a private address/);
    await expect(assertDeliverableAddress('https://rebind.example.com/', { policy: production, resolve: resolvesTo('64:ff9b::c0a8:1') }))
      .rejects.toThrow(/NAT64 address for 192\.168\.0\.1/);
  });

  it('refuses when any one of the addresses is internal', async () => {
    await expect(assertDeliverableAddress('https://mixed.example.com/', { policy: production, resolve: resolvesTo('93.184.215.14', '10.0.0.1') }))
      .rejects.toThrow(/10\.0\.0\.1, a private address/);
  });

  it('allows a NAT64 address of a public IPv4 address', async () => {
    await expect(assertDeliverableAddress('https://v6only.example.com/', { policy: production, resolve: resolvesTo('64:ff9b::5db8:d70e') }))
      .resolves.toMatchObject({ address: '64:ff9b::5db8:d70e', family: 6 });
  });

  it('says so when the name does not resolve', async () => {
    const fails: HostResolver = async () => { throw Object.assign(new Error('nope'), { code: 'ENOTFOUND' }); };
    await expect(assertDeliverableAddress('https://nowhere.example.com/', { policy: production, resolve: fails })).rejects.toThrow('"nowhere.example.com" could not be resolved (ENOTFOUND)');
  });

  it('checks address literals without resolving, and refuses the save-time cases too', async () => {
    const never: HostResolver = async () => { throw new Error('must not resolve'); };
    await expect(assertDeliverableAddress('https://2130706433/', { policy: production, resolve: never })).rejects.toThrow(/loopback/);
    await expect(assertDeliverableAddress('http://127.0.0.1:9/', { policy: loopbackAllowed, resolve: never })).resolves.toMatchObject({ address: '127.0.0.1', family: 4 });
    await expect(assertDeliverableAddress('http://hooks.example.com/', { policy: production, resolve: never })).rejects.toThrow(/https/);
  });
});
