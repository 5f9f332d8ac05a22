-- Idempotency-Key of POST /posts (and the Mastodon API's statuses): stored
-- with the post, in its transaction, unique per author, so a retried request
-- finds its post and two concurrent ones cannot both insert. Nullable: posts
-- made without a key (NULLs never collide in a unique index).

-- AlterTable
ALTER TABLE "posts" ADD COLUMN     "idempotency_key" VARCHAR(128);

-- CreateIndex
CREATE UNIQUE INDEX "posts_author_id_idempotency_key_key" ON "posts"("author_id", "idempotency_key");
