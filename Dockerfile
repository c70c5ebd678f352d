# syntax=docker/dockerfile:1
# ordergram's image: docker build -t ordergram .  (docs/deployment.md)
# The container runs `node dist/main.js`: the same code `npm start` runs through tsx, compiled.
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: every dependency, the Prisma clients (npm's postinstall), TypeScript compiled to dist/
FROM ${NODE_IMAGE} AS build
# better-sqlite3 compiles itself when no prebuilt binary fits the platform: the toolchain for that.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# The postinstall (scripts/generate-prisma.mjs) needs the schema and the scripts.
COPY package.json package-lock.json prisma.config.ts ./
COPY scripts ./scripts
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: production dependencies and what ordergram reads at run time, as a non-root user
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATABASE_URL=file:/app/data/ordergram.db
WORKDIR /app
# Owned by root and read-only for the app; only /app/data (SQLite, returns photos) is its to write.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Migrations (applied at start-up), the Bot API description, the example config; the sources and
# scripts for `npm run config:check` and `config:preview` (tsx), and the sandbox page (src/sandbox/web).
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/vendor ./vendor
COPY --from=build /app/ordergram.config.example.yaml /app/prisma.config.ts /app/tsconfig.json ./
COPY --from=build /app/src ./src
COPY --from=build /app/scripts ./scripts
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 3000
# /healthz answers 200 only while the database answers (src/app/http-app.ts). The slim image has no
# curl: Node's fetch does the request.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", \
    "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM (docker stop) finishes the updates and sends in hand, then exits (src/main.ts).
CMD ["node", "dist/main.js"]
