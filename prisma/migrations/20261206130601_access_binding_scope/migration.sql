-- Access explorer (issue 22): who-can in one namespace reads that namespace's and the cluster-wide binding subjects
-- first (a handful), rather than probing every role that holds a candidate rule. Written by hand.
CREATE INDEX "AccessBinding_organizationId_setId_scopeNamespace_roleNo_idx" ON "AccessBinding"("organizationId", "setId", "scopeNamespace", "roleNo");
