import { describe, expect, it } from 'vitest';
import { hostnameOf, isCloudMetadataHostname, refusedAddressReason } from './address-policy';
import { parseCidrList, parseIp } from './ip-ranges';

const reason = (value: string, allowed = '') => {
  const address = parseIp(value);
  if (!address) throw new Error(`${value} is not an address`);
  return refusedAddressReason(address, allowed ? parseCidrList(allowed) : []);
};

describe('which addresses the server may reach for a tenant', () => {
  it('lets globally routable unicast through, IPv4 and IPv6', () => {
    expect(reason('93.184.215.14')).toBeNull();
    expect(reason('2606:4700::6810:84e5')).toBeNull();
    expect(reason('64:ff9b::5db8:d70e')).toBeNull(); // NAT64 of 93.184.215.14
  });

  it.each([
    ['127.0.0.1', 'a loopback address'],
    ['::1', 'a loopback address'],
    ['::ffff:127.0.0.1', 'a loopback address'], // IPv4-mapped: judged as the IPv4 address
    ['10.0.0.5', 'a private address'],
    ['192.168.1.1', 'a private address'],
    ['fd00:ec2::254', 'a private (unique local) address'],
    ['169.254.169.254', 'a link-local (cloud metadata) address'],
    ['fe9f::1', 'a link-local (cloud metadata) address'],
    ['100.100.100.200', 'a carrier-grade NAT address'],
    ['0.0.0.0', 'an unspecified address'],
    ['255.255.255.255', 'a broadcast address'],
    ['224.0.0.1', 'a multicast address'],
    ['64:ff9b::a9fe:a9fe', 'a NAT64 address for 169.254.169.254, a link-local (cloud metadata) address'],
  ])('refuses %s: %s', (address, expected) => {
    expect(reason(address)).toBe(expected);
  });

  it('lets through the ranges an operator allowed, and only those', () => {
    expect(reason('10.1.2.3', '10.0.0.0/8')).toBeNull();
    expect(reason('64:ff9b::a01:203', '10.0.0.0/8')).toBeNull(); // NAT64 of 10.1.2.3
    expect(reason('192.168.0.1', '10.0.0.0/8')).toBe('a private address');
    expect(reason('169.254.169.254', '10.0.0.0/8, 192.168.0.0/16')).toMatch(/link-local/);
  });

  it('knows the cloud metadata names, however the URL spells them', () => {
    expect(isCloudMetadataHostname(hostnameOf(new URL('https://METADATA.GOOGLE.INTERNAL./x')))).toBe(true);
    expect(isCloudMetadataHostname(hostnameOf(new URL('https://instance-data.ec2.internal/')))).toBe(true);
    expect(isCloudMetadataHostname(hostnameOf(new URL('https://metadata.example.com/')))).toBe(false);
  });
});
