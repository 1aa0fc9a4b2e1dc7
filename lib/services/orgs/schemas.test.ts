import { describe, expect, it } from 'vitest';
import { RegistryPrefixSchema } from './schemas';

const problem = (value: string) => {
  const result = RegistryPrefixSchema.safeParse(value);
  return result.success ? null : result.error.issues[0]?.message;
};

describe('registry prefixes', () => {
  it('accepts hosts with optional ports and path prefixes', () => {
    for (const value of ['ghcr.io/acme/', 'registry.example.com', 'localhost:5000/team', 'docker.io/library/']) expect(problem(value)).toBeNull();
  });

  it('refuses an image reference with a tag or digest past the host', () => {
    expect(problem('ghcr.io/acme/app:1.2')).toMatch(/not an image/);
    expect(problem('ghcr.io/acme/app@sha256:abc')).toMatch(/not an image/);
    expect(problem('localhost:5000/team')).toBeNull(); // a port on the host is not a tag
  });

  it('answers a long run of colons at once, with the length error (the old pattern retried from every colon)', () => {
    const started = process.cpuUsage();
    expect(problem(`a/${':'.repeat(40_000)}/x`)).toMatch(/at most 255/);
    expect(problem(`a.io/${':'.repeat(200)}/x`)).toMatch(/at most 255|registry host/);
    const cpu = process.cpuUsage(started);
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(1000); // seconds before; a few ms now (CPU time, not wall)
  });
});
