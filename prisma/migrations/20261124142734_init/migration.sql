-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN');

-- CreateEnum
CREATE TYPE "FanoutMode" AS ENUM ('PUSH', 'PULL');

-- CreateTable
CREATE TABLE "users" (
    "id" BIGSERIAL NOT NULL,
    "username" VARCHAR(30) NOT NULL,
    "username_key" VARCHAR(30) NOT NULL,
    "display_name" VARCHAR(64) NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'USER',
    "follower_count" INTEGER NOT NULL DEFAULT 0,
    "following_count" INTEGER NOT NULL DEFAULT 0,
    "is_celebrity" BOOLEAN NOT NULL DEFAULT false,
    "fanout_mode" "FanoutMode" NOT NULL DEFAULT 'PUSH',
    "fanout_mode_since" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "follows" (
    "followee_id" BIGINT NOT NULL,
    "follower_id" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "follows_pkey" PRIMARY KEY ("followee_id","follower_id"),
    CONSTRAINT "follows_no_self_follow" CHECK ("followee_id" <> "follower_id")
);

-- Post ids are time-sortable and stay below 2^53, so they are exact as
-- JavaScript numbers and as Redis sorted-set scores (until 2094):
-- 41 bits of milliseconds since 2025-01-01, then a 12-bit sequence that keeps
-- ids unique across sessions (up to 4096 posts in the same millisecond).
CREATE SEQUENCE "feedline_post_seq" AS BIGINT;

CREATE FUNCTION feedline_next_post_id() RETURNS BIGINT
LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
  SELECT ((floor(extract(epoch FROM clock_timestamp()) * 1000)::BIGINT - 1735689600000) << 12)
       | (nextval('feedline_post_seq') % 4096)
$$;

-- CreateTable
CREATE TABLE "posts" (
    "id" BIGINT NOT NULL DEFAULT feedline_next_post_id(),
    "author_id" BIGINT NOT NULL,
    "content" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "posts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox" (
    "id" BIGSERIAL NOT NULL,
    "job_name" VARCHAR(64) NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "available_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_username_key_key" ON "users"("username_key");

-- CreateIndex
CREATE INDEX "follows_follower_id_followee_id_idx" ON "follows"("follower_id", "followee_id");

-- CreateIndex
CREATE INDEX "posts_author_id_id_idx" ON "posts"("author_id", "id" DESC);

-- CreateIndex
CREATE INDEX "outbox_available_at_idx" ON "outbox"("available_at");

-- AddForeignKey
ALTER TABLE "follows" ADD CONSTRAINT "follows_followee_id_fkey" FOREIGN KEY ("followee_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "follows" ADD CONSTRAINT "follows_follower_id_fkey" FOREIGN KEY ("follower_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "posts" ADD CONSTRAINT "posts_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
