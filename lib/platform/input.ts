import type { z } from 'zod';
import { AppError, issuesFromZod } from './errors';

/**
 * Services parse their input again, whoever called them (route, action, job, test): some rules depend on the
 * time of the request (an expiry within a year from now), and a 400 is the answer, never a 500.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new AppError('invalid', 'Please correct the highlighted fields', issuesFromZod(parsed.error.issues));
  return parsed.data;
}

/** Route params and ids from the URL: anything that is not a UUID is simply not found. */
export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
