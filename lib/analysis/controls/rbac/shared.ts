import { RBAC_RESOURCES } from '@/lib/analysis/model/kube';
import type { ResourceName } from '@/lib/analysis/snapshot/schema';

/** Every RBAC control needs the four RBAC lists: a grant through an unread binding is not a pass. */
export const RBAC_REQUIRES: readonly ResourceName[] = RBAC_RESOURCES;
export const BINDING_KINDS = ['RoleBinding', 'ClusterRoleBinding'] as const;
