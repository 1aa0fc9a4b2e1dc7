import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { DeliverableTarget } from './resolve-target';

export type WebhookResponse = { status: number; excerpt: string };

/** How much of the receiver's answer the delivery log keeps (bytes read; the rest is not waited for). */
export const RESPONSE_EXCERPT_BYTES = 500;

/**
 * A DNS lookup that always answers the address we checked. The request keeps the URL's hostname, so the
 * Host header and the TLS server name (SNI, and the certificate check) are still the receiver's name; only
 * the socket goes to the pinned address. Node asks with `all: true` when it races IPv4 and IPv6.
 */
function pinnedLookup(target: DeliverableTarget): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) (callback as (error: null, addresses: { address: string; family: number }[]) => void)(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
}

/**
 * POSTs `body` to a checked target and resolves with the response status and the first RESPONSE_EXCERPT_BYTES of
 * its body (for the delivery log; the rest is not read). Redirects are never followed (node's http client
 * doesn't). fetch() is not used because it offers no way to choose the address a connection goes to.
 */
export function postToWebhook(
  target: DeliverableTarget, headers: Record<string, string>, body: string, signal: AbortSignal,
): Promise<WebhookResponse> {
  const client = target.url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(target.url, {
      method: 'POST',
      headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
      lookup: pinnedLookup(target),
      agent: false, // a fresh connection each time: a pooled socket could belong to an earlier resolution
      signal,
    }, (response) => {
      const status = response.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let length = 0;
      const finish = () => {
        // A multi-byte character cut at the limit decodes to U+FFFD; the excerpt is for people, not parsers.
        resolve({ status, excerpt: Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES).toString('utf8') });
        response.destroy(); // the rest of the receiver's body is not ours to store, nor to wait for
      };
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        length += chunk.length;
        if (length >= RESPONSE_EXCERPT_BYTES) finish();
      });
      response.on('end', finish);
      response.on('error', finish);
    });
    request.on('error', reject);
    request.end(body);
  });
}
