# syntax=docker/dockerfile:1
#
# The patients API as a container image (issue 16; SPEC 9 says how it runs). docs/running.md says how to run it.
#
#   docker build -t patients-api .
#   docker run -d --name patients -p 127.0.0.1:3000:3000 -v patients-data:/data \
#     -e TOKEN_SECRET="$(openssl rand -hex 32)" --stop-timeout 30 patients-api
#
# Stages:
#   toolchain  node + compilers, in case better-sqlite3 has no prebuilt binary for this platform
#   deps       what the compiled server imports at run time: `npm ci --omit=dev -w @patients/api`
#   build      every dependency, then dist/main.js (the server) and dist/admin.js (the admin command line)
#   runtime    node:20-bookworm-slim with the deps stage's node_modules and the compiled files; no compilers,
#              no TypeScript sources, no npm cache; runs as the image's unprivileged `node` user
#
# The --omit=dev install happens in `deps`, built from the same base image as `runtime` (same Node, same glibc,
# so the native better-sqlite3 binary fits), and `runtime` copies its node_modules: the compilers a native build
# may need never reach the final image.

# Node 20 is what CI tests (README: it is past its end of life; moving on is tracked in issue 16).
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS base
# The npm the lockfile is made and tested with (package.json's packageManager); the image ships npm 10.
ARG NPM_VERSION=11.19.1
# SCARF_ANALYTICS: swagger-ui's dependency @scarf/scarf reports installs from its install script; off.
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false \
    SCARF_ANALYTICS=false
RUN npm install --global "npm@${NPM_VERSION}" && npm cache clean --force
WORKDIR /app

FROM base AS toolchain
# better-sqlite3 downloads a prebuilt binary when one exists for this platform and compiles SQLite otherwise.
RUN apt-get update \
 && apt-get install --yes --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*

# Only the manifests the API's install reads: the other workspaces (the bot, the bench) are not needed and
# `npm ci -w` installs without their folders. Sources come later, so a code change reuses the install layers.
FROM toolchain AS deps
COPY package.json package-lock.json .npmrc ./
COPY packages/core/package.json packages/core/
COPY apps/api/package.json apps/api/
# npm puts a package inside a workspace's own node_modules when two versions are needed; today none is, and the
# folders are made here so that the runtime stage's COPY of them always has a source.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --workspace @patients/api \
 && mkdir -p apps/api/node_modules packages/core/node_modules

FROM toolchain AS build
COPY package.json package-lock.json .npmrc ./
COPY packages/core/package.json packages/core/
COPY apps/api/package.json apps/api/
RUN --mount=type=cache,target=/root/.npm \
    npm ci --workspace @patients/api
COPY tsconfig.base.json ./
COPY packages/core packages/core
COPY apps/api apps/api
# esbuild bundles our own code (this app and @patients/core) and leaves installed packages as imports.
RUN npm run build --workspace @patients/api

FROM base AS runtime
# NODE_ENV=production: no demo institution on a fresh database (SPEC 9). HOST=0.0.0.0: the container's own
# network namespace; what the host exposes is decided by `-p` (compose.yaml binds 127.0.0.1 only).
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATABASE_URL=file:/data/patients.sqlite
# Code and node_modules stay owned by root, read-only to the server; only /data is the server's to write.
# `admin` runs the admin command line: docker exec <container> admin create-institution ...
RUN mkdir /data \
 && chown node:node /data \
 && printf '#!/bin/sh\nexec node --enable-source-maps /app/apps/api/dist/admin.js "$@"\n' > /usr/local/bin/admin \
 && chmod 0755 /usr/local/bin/admin
COPY --from=deps /app/node_modules node_modules
COPY --from=deps /app/apps/api/node_modules apps/api/node_modules
COPY --from=deps /app/packages/core/node_modules packages/core/node_modules
COPY package.json ./
# node_modules/@patients/* are links to these folders: package.json for "type": "module" and exports,
# core's data/ for the name tables (nicknames, spellings) it reads at start.
COPY packages/core/package.json packages/core/
COPY packages/core/data packages/core/data
COPY packages/core/NOTICE packages/core/
COPY apps/api/package.json apps/api/
COPY LICENSE ./
COPY --from=build /app/apps/api/dist apps/api/dist
WORKDIR /app/apps/api
USER node
VOLUME ["/data"]
EXPOSE 3000
# The server finishes requests in flight for up to 10 s on SIGTERM, then closes the database and exits 0: give
# it more than that when stopping (docker stop -t 30, compose's stop_grace_period: 30s).
STOPSIGNAL SIGTERM
# Node's own fetch: no curl in the image. 200 only when the database answers.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --start-interval=2s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`, { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node is PID 1 and handles SIGTERM and SIGINT itself (apps/api/src/main.ts); it starts no child processes
# (worker threads only), so there are no zombies to reap and no init is needed (`docker run --init` is harmless).
# Not `npm start`: it would try to rebuild, and npm in between would be PID 1 instead of node.
CMD ["node", "--enable-source-maps", "--max-semi-space-size=8", "dist/main.js"]
