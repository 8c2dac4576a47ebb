# syntax=docker/dockerfile:1
#
# Production image: one Maillage server process. Run one (embedded SQLite in /data) or several
# behind a load balancer with DATABASE_URL and REDIS_URL (docker-compose.yml, docs/deployment.md).
#
#   deps       manifests + native build tools (better-sqlite3 compiles when no prebuilt fits)
#   build      every dependency, then the client bundle (vite) → client/dist
#   prod-deps  production dependencies of the server and shared workspaces only (tsx included:
#              the server runs its TypeScript through it), plus their sources
#   runtime    slim Node 24 LTS, code owned by root and read-only to the unprivileged `node` user

ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY client/package.json client/

FROM deps AS build
# npm install, not npm ci: with the lockfile present it installs exactly the locked versions, while
# npm ci rejects this lockfile for lacking other platforms' optional packages (README, Quick start).
RUN npm install --no-audit --no-fund
COPY shared/ shared/
COPY client/ client/
RUN npm run build

FROM deps AS prod-deps
RUN npm install --no-audit --no-fund --omit=dev --workspace @maillage/server --workspace @maillage/shared \
 && npm cache clean --force
COPY shared/ shared/
COPY server/ server/

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    DATA_DIR=/data \
    CLIENT_DIST=/app/client/dist
WORKDIR /app
COPY --from=prod-deps /app /app
COPY --from=build /app/client/dist /app/client/dist
# The only writable place: the SQLite file in embedded mode (unused with DATABASE_URL).
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# Liveness only; readiness (database and Redis reachable) is /readyz, for the load balancer.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# main.ts shuts down gracefully on SIGTERM: stops accepting, flushes every wall, closes.
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "server/src/main.ts"]
