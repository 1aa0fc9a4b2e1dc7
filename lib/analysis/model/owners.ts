import type { KubeObject } from '@/lib/analysis/snapshot/schema';
import { isPodBearingKind, namespaceOf } from './kube';

/** Deeper than any real chain (CronJob > Job > Pod); stops a crafted ownerReferences cycle. */
const MAX_OWNER_DEPTH = 8;

/**
 * Finds, for every pod-bearing object, the highest owner present in the snapshot. A Deployment's ReplicaSets and
 * Pods share its pod template, so their findings belong to the Deployment; an owner missing from the snapshot (not
 * collected, or a custom controller) leaves the highest object we do have as the one to report on.
 */
export class OwnerIndex {
  private readonly byUid = new Map<string, KubeObject>();
  /** By namespace, kind and name: built on the first reference a uid does not resolve (rare in a live cluster). */
  private byKey: Map<string, KubeObject> | undefined;
  private readonly topCache = new Map<KubeObject, KubeObject>();
  private readonly owners: KubeObject[] = [];

  constructor(objects: Iterable<KubeObject>) {
    for (const object of objects) {
      // A Pod never owns another pod-bearing object, and Pods are most of a cluster: leave them out.
      if (object.kind === 'Pod') continue;
      this.owners.push(object);
      if (object.metadata.uid) this.byUid.set(object.metadata.uid, object);
    }
  }

  private findByKey(namespace: string | null, kind: string, name: string): KubeObject | undefined {
    if (!this.byKey) {
      this.byKey = new Map();
      for (const object of this.owners) this.byKey.set(ownerKey(namespaceOf(object), object.kind, object.metadata.name), object);
    }
    return this.byKey.get(ownerKey(namespace, kind, name));
  }

  /** The object's direct owner when it is in the snapshot (controller reference first). */
  findOwner(object: KubeObject): KubeObject | undefined {
    const refs = object.metadata.ownerReferences;
    if (!refs || refs.length === 0) return undefined;
    const ordered = refs.length === 1 ? refs : [...refs].sort((a, b) => Number(b.controller === true) - Number(a.controller === true));
    for (const ref of ordered) {
      if (!isPodBearingKind(ref.kind)) continue;
      const byUid = ref.uid ? this.byUid.get(ref.uid) : undefined;
      if (byUid && byUid !== object) return byUid;
      const byKey = this.findByKey(namespaceOf(object), ref.kind, ref.name);
      if (byKey && byKey !== object) return byKey;
    }
    return undefined;
  }

  /** The highest owner present in the snapshot; the object itself when it has none. */
  topOwnerOf(object: KubeObject): KubeObject {
    const cached = this.topCache.get(object);
    if (cached) return cached;
    let current = object;
    for (let depth = 0; depth < MAX_OWNER_DEPTH; depth++) {
      const owner = this.findOwner(current);
      if (!owner) break;
      current = owner;
    }
    this.topCache.set(object, current);
    return current;
  }

  isTopLevel(object: KubeObject): boolean {
    return this.findOwner(object) === undefined;
  }
}

function ownerKey(namespace: string | null, kind: string, name: string): string {
  return `${namespace ?? ''}\u0000${kind}\u0000${name}`;
}
