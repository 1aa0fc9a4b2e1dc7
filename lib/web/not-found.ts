import { notFound } from 'next/navigation';
import { isAppError } from '../platform/errors';

/**
 * A detail page's read: a service's not_found (no such record, or one of another organization) becomes the
 * page's 404; any other error is thrown on.
 */
export async function orNotFound<T>(read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') notFound();
    throw error;
  }
}
