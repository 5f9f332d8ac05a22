-- "Mode" now names only FANOUT_MODE, the system-wide setting. The push or
-- pull state of one author is their delivery (docs/glossary.md). Renames
-- only, so every row keeps its value and its since-timestamp.

-- AlterEnum
ALTER TYPE "FanoutMode" RENAME TO "Delivery";

-- AlterTable
ALTER TABLE "users" RENAME COLUMN "fanout_mode" TO "delivery";
ALTER TABLE "users" RENAME COLUMN "fanout_mode_since" TO "delivery_since";
