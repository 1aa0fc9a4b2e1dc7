import { withoutTrailingSlashes } from './text';
import type { Container } from './workload-types';

/** An image reference split the way container runtimes read it. */
export type ImageRef = { registry: string; repository: string; tag: string | undefined; digest: string | undefined };

/** A container's image, parsed once per evaluation (three controls read it); undefined when the container names none. */
export function imageRefOf(container: Container): ImageRef | undefined {
  if (container.image === undefined) return undefined;
  return (container.memo.image ??= parseImage(container.image));
}

/**
 * Parses `[registry/]repository[:tag][@digest]`. The first path component is a registry only when it looks like a
 * host (has a dot or a port, or is localhost); otherwise the image comes from Docker Hub, as the runtime assumes.
 */
export function parseImage(image: string): ImageRef {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > lastSlash) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
  }
  const firstSlash = rest.indexOf('/');
  const first = firstSlash === -1 ? '' : rest.slice(0, firstSlash);
  const isHost = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = isHost ? first : 'docker.io';
  let repository = isHost ? rest.slice(firstSlash + 1) : rest;
  if (registry === 'docker.io' && !repository.includes('/')) repository = `library/${repository}`;
  return { registry, repository, tag: tag || undefined, digest: digest || undefined };
}

/**
 * An allowed-registry entry is a registry host ("ghcr.io") or a host plus path prefix ("ghcr.io/acme"). It matches
 * on whole path segments, so "ghcr.io/acme" does not allow "ghcr.io/acme-evil/app".
 */
export function isImageAllowed(image: ImageRef, allowed: readonly string[]): boolean {
  const full = `${image.registry}/${image.repository}`;
  return allowed.some((entry) => {
    const prefix = withoutTrailingSlashes(entry);
    return full === prefix || full.startsWith(`${prefix}/`);
  });
}
