# syntax=docker/dockerfile:1
#
# Production image: one Maillage server process. Run one (embedded SQLite in /data) or several
# behind a load balancer with DATABASE_URL and REDIS_URL (docker-compose.yml, docs/deployment.md).
#
#   deps       manifests + native build tools (better-sqlite3 compiles when no prebuilt fits)
#   build      `npm ci` (every dependency, from the lockfile), then `npm run build`: the client
#              bundle (vite → client/dist) and the server compiled to JavaScript (esbuild →
#              server/dist; server/build.mjs says why a bundle)
#   prod-deps  `npm ci --omit=dev` for the server and shared workspaces: no TypeScript, no tsx, no
#              build tool
#   runtime    slim Node 24 LTS running `node server/dist/main.js`, code owned by root and
#              read-only to the unprivileged `node` user
#
# test/integration/production.test.ts runs these same commands in a temporary folder and serves a
# live wall from the result; test/integration/compose.test.ts checks this file against the
# checklist in docs/deployment.md ("Image checklist").

# Pinned to a patch release (bump it on purpose, with the Node security releases).
ARG NODE_IMAGE=node:24.11.1-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY client/package.json client/

FROM deps AS build
RUN npm ci --no-audit --no-fund
COPY shared/ shared/
COPY server/ server/
COPY client/ client/
RUN npm run build

FROM deps AS prod-deps
RUN npm ci --no-audit --no-fund --omit=dev --workspace @maillage/server --workspace @maillage/shared \
 && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    DATA_DIR=/data \
    CLIENT_DIST=/app/client/dist
WORKDIR /app
# Manifests and production node_modules, the workspaces' own included (server/node_modules holds
# the ws 8 the server needs, the root one being another major for a benchmark-only package).
COPY --from=prod-deps /app ./
COPY --from=build /app/server/dist server/dist/
COPY --from=build /app/client/dist client/dist/
# The only writable place: the SQLite file in embedded mode (unused with DATABASE_URL).
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# Liveness only; readiness (database and Redis reachable) is /readyz, for the load balancer.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# main.js shuts down gracefully on SIGTERM: stops accepting, flushes every wall, closes.
STOPSIGNAL SIGTERM
CMD ["node", "--enable-source-maps", "server/dist/main.js"]
