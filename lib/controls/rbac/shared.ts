import type { ResourceName } from '@/lib/snapshot/schema';

/** Every RBAC control needs the four RBAC lists: a grant through an unread binding is not a pass. */
export const RBAC_REQUIRES: readonly ResourceName[] = ['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings'];
export const BINDING_KINDS = ['RoleBinding', 'ClusterRoleBinding'] as const;
