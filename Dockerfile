# One image for every Feedline app; the compose file picks the start command.
FROM node:20.20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY . .
# Dev dependencies stay: the npm scripts (migrate, seed, bench) run with tsx.
RUN npm ci --include=dev --no-audit --no-fund && npm run build && npm run build:web
EXPOSE 3000 3001 3002 3003 3004 3005
CMD ["npm", "start"]
