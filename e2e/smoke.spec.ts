import { test, expect } from '@playwright/test';

test('the home page shows that the database and the queue are up', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Kubernetes compliance');
  const health = page.getByTestId('health');
  await expect(health).toContainText('Database: ok');
  await expect(health).toContainText('Queue (Redis): ok');
});

test('the health endpoint answers ok for both services', async ({ request }) => {
  const response = await request.get('/api/health');
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ db: 'ok', redis: 'ok' });
});
