import { readdirSync, readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';

/**
 * Runs last (files run in name order, one worker): every earlier spec pushed manifests that carry a plain
 * DATABASE_PASSWORD and used agent and API tokens. None of them may appear in any log of the stack.
 */
const PLANTED = ['s3cr3t-e2e-Password!'];
const TOKEN_SHAPES = [/bwa_[A-Za-z0-9_-]{20,}/, /bwk_[A-Za-z0-9_-]{20,}/];

test('no secret value or token appears in the web, worker or IdP logs', () => {
  const dir = 'artifacts/e2e/logs';
  const files = readdirSync(dir).filter((name) => name.endsWith('.log'));
  expect(files.sort()).toEqual(expect.arrayContaining(['web.log', 'worker.log']));
  let total = 0;
  for (const file of files) {
    const text = readFileSync(`${dir}/${file}`, 'utf8');
    total += text.length;
    for (const secret of PLANTED) expect(text.includes(secret), `${file} contains a planted secret`).toBe(false);
    for (const shape of TOKEN_SHAPES) expect(shape.exec(text)?.[0], `${file} contains a token`).toBeUndefined();
  }
  // The logs are not empty: the worker logged its evaluations.
  expect(readFileSync(`${dir}/worker.log`, 'utf8')).toContain('snapshot evaluated');
  expect(total).toBeGreaterThan(0);
});
