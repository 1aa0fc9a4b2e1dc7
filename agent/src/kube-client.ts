import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

export type KubeResponse = { status: number; body: unknown; text: string };

/** What the API server said in a Status body (`pods is forbidden: User ... cannot list ...`), or a fallback. */
export function statusMessage(response: KubeResponse): string {
  const body = response.body as { message?: unknown } | null;
  if (body && typeof body.message === 'string') return body.message;
  return `HTTP ${response.status}${response.text ? `: ${response.text.slice(0, 200)}` : ''}`;
}

/**
 * GET requests to the Kubernetes API with the kubeconfig's credentials (token, client certificate,
 * exec plugin; in-cluster tokens are re-read as they rotate). It returns the raw JSON on purpose: the
 * typed client-node APIs turn objects into model classes (Dates instead of RFC 3339 strings, unknown
 * fields dropped), and the snapshot contract is the objects' own Kubernetes shape.
 */
export class KubeClient {
  constructor(
    private readonly kc: KubeConfig,
    private readonly timeoutMs = 60_000,
  ) {}

  get server(): string {
    return this.kc.getCurrentCluster()?.server ?? '';
  }

  async get(pathname: string, options: { query?: Record<string, string | number | undefined>; accept?: string } = {}): Promise<KubeResponse> {
    const url = new URL(this.server.replace(/\/+$/, '') + pathname);
    for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    const requestOptions: https.RequestOptions = { method: 'GET', headers: { Accept: options.accept ?? 'application/json' } };
    await this.kc.applyToHTTPSOptions(requestOptions);
    const transport = url.protocol === 'http:' ? http : https;

    return new Promise<KubeResponse>((resolve, reject) => {
      const request = transport.request(url, { ...requestOptions, timeout: this.timeoutMs }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = null;
          try {
            body = text ? JSON.parse(text) : null;
          } catch {
            body = null;
          }
          resolve({ status: response.statusCode ?? 0, body, text: body === null ? text : '' });
        });
      });
      request.on('timeout', () => request.destroy(new Error(`no answer from ${url.host} within ${this.timeoutMs} ms`)));
      request.on('error', reject);
      request.end();
    });
  }
}
