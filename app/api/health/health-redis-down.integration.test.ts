import { describe, expect, it } from 'vitest';

// Nothing listens on port 1: this file's process sees Redis as down, the rest of the suite is unaffected.
process.env.REDIS_URL = 'redis://127.0.0.1:1';

describe('GET /api/health with Redis down', () => {
  it('answers 503 "down" without saying which part failed (that goes to the log)', async () => {
    const { GET } = await import('./route');
    const response = await GET();
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'down' });
  });
});
