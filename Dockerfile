# syntax=docker/dockerfile:1
# Earshot in a container: the first stage installs every dependency and builds the server (dist/) and the web UI
# (dist/web); the second keeps the build and the production dependencies only, and runs as the unprivileged "node"
# user with its data (SQLite, media folder, master key) in the /data volume. ffmpeg comes from the npm package
# @ffmpeg-installer/ffmpeg, so no system ffmpeg is installed.
#   docker build -t earshot .
#   docker run -p 127.0.0.1:8080:8080 -v earshot-data:/data earshot
# Roles: `serve --roles api` (the default command runs api, worker and scheduler), `worker`, `scheduler`, `migrate`.

FROM node:22-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles when no prebuilt binary fits.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY web ./web
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    EARSHOT_DATA_DIR=/data
WORKDIR /app
# The offline speech engine (pocketsphinx with its US English model), espeak-ng for vocabulary pronunciations, sox,
# bzip2 for `earshot models pull` (.tar.bz2 archives).
RUN apt-get update \
 && apt-get install -y --no-install-recommends pocketsphinx pocketsphinx-en-us libpocketsphinx3 espeak-ng sox bzip2 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/scripts/build-state.mjs ./scripts/build-state.mjs
COPY bin ./bin
COPY demo-fixtures ./demo-fixtures
RUN mkdir -p /data && chown node:node /data && chmod 0700 /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "bin/earshot.js"]
CMD ["serve"]
