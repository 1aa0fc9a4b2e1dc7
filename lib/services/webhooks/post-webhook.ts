import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { DeliverableTarget } from './resolve-target';

export type WebhookResponse = { status: number };

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
 * POSTs `body` to a checked target and resolves with the response status. Redirects are never followed (node's
 * http client doesn't); the response body is not read. fetch() is not used because it offers no way to choose
 * the address a connection goes to.
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
      resolve({ status: response.statusCode ?? 0 });
      response.destroy(); // the receiver's body is not ours to store, nor to wait for
    });
    request.on('error', reject);
    request.end(body);
  });
}
