-- Issue 20: the delivery log shows the start of the receiver's answer and when the last attempt ran.
ALTER TABLE "WebhookDelivery" ADD COLUMN "responseExcerpt" TEXT;
ALTER TABLE "WebhookDelivery" ADD COLUMN "lastAttemptAt" TIMESTAMP(3);
