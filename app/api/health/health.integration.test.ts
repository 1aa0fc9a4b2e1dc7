import { describe, expect, it } from 'vitest';

describe('GET /api/health', () => {
  it('answers 200 with both services ok', async () => {
    const { GET } = await import('./route');
    const response = await GET();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ db: 'ok', redis: 'ok' });
  });
});
