-- A risk acceptance request's notification asked an approver to decide it. Requests decided (or withdrawn,
-- or expired) before decisions started marking those notifications read stay unread forever: mark them read now.
-- The notification links to /o/<org>/findings/<findingId>; a request still PENDING on that finding keeps its own.
UPDATE "Notification" AS n
SET "readAt" = now()
WHERE n."type" = 'risk.requested'
  AND n."readAt" IS NULL
  AND NOT EXISTS (
    SELECT 1 FROM "RiskAcceptance" AS r
    WHERE r."organizationId" = n."organizationId"
      AND r."status" = 'PENDING'
      AND n."link" LIKE '%/findings/' || r."findingId"::text
  );
