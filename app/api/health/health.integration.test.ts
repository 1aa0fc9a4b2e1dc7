import { describe, expect, it } from 'vitest';

describe('GET /api/health', () => {
  it('answers 200 ok when both services are up, and names neither to an anonymous caller', async () => {
    const { GET } = await import('./route');
    const response = await GET();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});
