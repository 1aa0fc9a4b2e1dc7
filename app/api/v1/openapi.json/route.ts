import { openApiDocument } from '@/lib/services/api/openapi';
import { env } from '@/lib/platform/env';

export const dynamic = 'force-dynamic';

export function GET(): Response {
  return Response.json(openApiDocument(env().APP_URL), { headers: { 'Cache-Control': 'public, max-age=300' } });
}
