import { describe, expect, it } from 'vitest';
import { EnvSchema } from '../env';
import { isInRanges, parseCidrList, parseIp } from './ip-ranges';

describe('CIDR lists from the environment', () => {
  it('reads CIDRs and single addresses, comma- or space-separated; IPv4-mapped ranges match IPv4 addresses', () => {
    const ranges = parseCidrList('10.0.0.0/8, 192.168.1.7  ::1/128,::ffff:172.16.0.0/108');
    const inside = (address: string) => isInRanges(parseIp(address)!, ranges);
    expect(['10.200.3.4', '192.168.1.7', '::1', '172.31.0.1', '::ffff:10.0.0.1'].every(inside)).toBe(true);
    expect(['11.0.0.1', '192.168.1.8', '::2', '172.32.0.1'].some(inside)).toBe(false);
    expect(parseCidrList('')).toEqual([]);
  });

  it('stops the process naming the variable and the bad entry', () => {
    const result = EnvSchema.safeParse({ TRUSTED_PROXIES: '10.0.0.0/8, 10.0.0.0/33', WEBHOOK_ALLOWED_CIDRS: 'intranet' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual(expect.arrayContaining([
      ['TRUSTED_PROXIES', '"10.0.0.0/33" is not an IP address or CIDR range'],
      ['WEBHOOK_ALLOWED_CIDRS', '"intranet" is not an IP address or CIDR range'],
    ]));
  });
});
