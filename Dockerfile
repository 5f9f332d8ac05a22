# Feedline's image, in stages (after immich's server Dockerfile): build with every dependency,
# run with production dependencies only. One image serves every app; each has one start command:
#   node dist/apps/<app>/src/main.js   (post-service, fanout-worker, feed-service, admin-dashboard, mastodon-api, web)
# The `tools` stage (all dependencies, the sources) runs the npm scripts: db:migrate, keys, seed.

FROM node:20.20-bookworm-slim AS tools
WORKDIR /app
COPY package.json package-lock.json ./
# The postinstall step generates the Prisma client from the schema.
COPY prisma ./prisma
COPY prisma.config.ts ./
COPY scripts/db ./scripts/db
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm run build:web

FROM node:20.20-bookworm-slim AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM node:20.20-bookworm-slim AS app
WORKDIR /app
ENV NODE_ENV=production
# package.json marks the root the apps find their files from (the dashboard's public/).
COPY package.json ./
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=tools /app/dist ./dist
COPY apps/admin-dashboard/public ./apps/admin-dashboard/public
USER node
EXPOSE 3000 3001 3002 3003 3004 3005
# No default app: pick one, e.g. `docker run feedline node dist/apps/post-service/src/main.js`.
CMD ["node", "-e", "console.error('Start an app: node dist/apps/<post-service|fanout-worker|feed-service|admin-dashboard|mastodon-api|web>/src/main.js'); process.exit(1)"]
