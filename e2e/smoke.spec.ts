import { test, expect } from '@playwright/test';

test('the public home page says nothing about the database or the queue', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Kubernetes compliance');
  await expect(page.getByTestId('health')).toHaveCount(0);
  const text = await page.locator('body').innerText();
  expect(text).not.toMatch(/Database|Redis/);
});

test('the health endpoint answers ok, and only ok, to anyone', async ({ request }) => {
  const response = await request.get('/api/health');
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok' });
});
