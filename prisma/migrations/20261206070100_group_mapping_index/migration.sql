-- Group sync reads a connection's mappings with its organization (lib/auth/group-sync.ts), which the unique index
-- (organizationId, connectionId, group) serves; no index leaves the organization out any more. Written by hand.
DROP INDEX "IdpGroupMapping_connectionId_group_idx";
