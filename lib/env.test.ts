import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EnvSchema } from './env';

describe('the environment', () => {
  const documented = readFileSync('.env.example', 'utf8');
  const readme = readFileSync('README.md', 'utf8');
  it.each(Object.keys(EnvSchema.shape).filter((key) => key !== 'NODE_ENV'))('documents %s in .env.example and the README', (key) => {
    expect(documented).toMatch(new RegExp(`^${key}=`, 'm'));
    expect(readme).toContain(`\`${key}\``);
  });

  it('names every bad variable without printing values', () => {
    const result = EnvSchema.safeParse({ DATABASE_URL: 'not a url', WORKER_CONCURRENCY: '0', NEXTAUTH_SECRET: 'short' });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['DATABASE_URL', 'WORKER_CONCURRENCY', 'NEXTAUTH_SECRET']));
  });
});
