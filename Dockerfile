# syntax=docker/dockerfile:1
# Base images: pinned by tag, not yet by digest. A digest must be read from the registry, which is
# not reachable where this file is written, and an unverified digest is worse than none. To pin
# (and to update later, e.g. monthly or on a Node/Debian security release), read each tag's
# multi-platform index digest (the `Digest:` line) and append it, keeping the tag for readers:
#   docker buildx imagetools inspect node:24-bookworm-slim
#   docker buildx imagetools inspect gcr.io/distroless/nodejs24-debian12:nonroot
#   FROM node:24-bookworm-slim@sha256:<digest> AS build
# (or let Renovate/Dependabot's docker ecosystem keep the digests current).

# Build stage: compile TypeScript and bundle it with the dev dependencies (scripts/bundle.ts).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
# Source maps stay out of the image: they would ship the TypeScript source, and nothing at run time
# reads them (NODE_OPTIONS has no --enable-source-maps).
RUN npm run build && find dist -name '*.map' -delete && mkdir -p /app/data

# Run stage: distroless Node 24 (no shell, no package manager), non-root, read-only friendly.
FROM gcr.io/distroless/nodejs24-debian12:nonroot
# OCI annotations; VERSION follows package.json's (`docker build --build-arg VERSION=...` for a release).
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="preflight" \
      org.opencontainers.image.description="Connection preflight checker for AWS Glue / Athena analytics connections" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.base.name="gcr.io/distroless/nodejs24-debian12:nonroot"
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080
# V8 sizes its heap from the host's memory, not from what a preflight needs: a few hundred MB of
# garbage under load. 88 MB of old space: the service admits the runs it holds, 156 at once when
# they wait on AWS until their deadline (2.4x the default PREFLIGHT_MAX_CONCURRENT_RUNS), and
# answers 503 beyond; raise it with that limit. Semi-spaces of 4 MB
# rather than 8 and glibc's malloc kept to 2 arenas (instead of 8 per core, for libuv's and V8's
# threads) each took about 10 MB off the peak RSS at no measured CPU cost (docs/benchmark.md).
# `npm run bench` runs the service with both variables.
ENV NODE_OPTIONS="--max-semi-space-size=4 --max-old-space-size=88"
ENV MALLOC_ARENA_MAX=2
# The bundles only, no node_modules: the CLI and `serve` (dist/main.js), the service
# (dist/server.js), the chunks they share, and the sandbox (dist/sandbox/main.js, its scenarios beside
# it). Not tsc's output, which the rest of dist/ is.
COPY --from=build /app/dist/main.js /app/dist/server.js ./dist/
COPY --from=build /app/dist/chunks ./dist/chunks
COPY --from=build /app/dist/sandbox/main.js ./dist/sandbox/main.js
COPY --from=build /app/dist/sandbox/scenarios ./dist/sandbox/scenarios
# The one part of a package no bundle holds: Swagger UI's page files, which /docs serves from its
# package's folder (src/http/docs.ts finds it through its package.json).
COPY --from=build /app/node_modules/@fastify/swagger-ui/package.json ./node_modules/@fastify/swagger-ui/package.json
COPY --from=build /app/node_modules/@fastify/swagger-ui/static ./node_modules/@fastify/swagger-ui/static
# The version the CLI prints (`--version`).
COPY --from=build /app/package.json ./package.json
# Report history (SQLite, PREFLIGHT_REPORT_STORE=sqlite) lives on a volume: it outlives the
# container. The directory belongs to nonroot, so a new named volume starts writable.
COPY --from=build --chown=nonroot:nonroot /app/data ./data
ENV PREFLIGHT_DATA_DIR=/app/data
VOLUME ["/app/data"]
USER nonroot
EXPOSE 8080
# No shell or curl in the image: the health check is a Node one-liner.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["/nodejs/bin/node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# `docker run IMAGE` serves; `docker run IMAGE check conn.json` runs the CLI with the same image.
ENTRYPOINT ["/nodejs/bin/node", "dist/main.js"]
CMD ["serve"]
