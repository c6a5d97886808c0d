# syntax=docker/dockerfile:1
# TechBot Marketplace: the single binary on a slim Debian, run as an unprivileged user.
#   docker build -t techbot .      (podman: add --format docker, or HEALTHCHECK is dropped)

ARG BUN_VERSION=1.4.4

FROM oven/bun:${BUN_VERSION} AS build
WORKDIR /src
# Behind a TLS-intercepting proxy: mount its CA bundle for the build and name it here
# (--build-arg NODE_EXTRA_CA_CERTS=...); the final stage never sees it.
ARG NODE_EXTRA_CA_CERTS
# Dependencies first: this layer is rebuilt only when the lockfile changes.
COPY package.json bun.lock ./
RUN bun install --frozen-lockfile --production
COPY tsconfig.json ./
COPY migrations ./migrations
COPY src ./src
COPY scripts/startup.bytecode-order ./scripts/
RUN bun run build && ./dist/techbot version

FROM debian:bookworm-slim AS runtime
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="techbot" \
      org.opencontainers.image.description="Self-hosted marketplace for digital courses sold inside Telegram, paid in crypto or Telegram Stars" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.base.name="debian:bookworm-slim"
# A fixed uid/gid so that a volume or bind mount can be chowned ahead of time (chown 10001 ...).
RUN groupadd --system --gid 10001 techbot \
 && useradd --system --uid 10001 --gid 10001 --home-dir /data --no-create-home --shell /usr/sbin/nologin techbot \
 && mkdir /data && chown 10001:10001 /data
COPY --from=build /src/dist/techbot /usr/local/bin/techbot
ENV DATA_DIR=/data \
    HOST=0.0.0.0 \
    PORT=8000
VOLUME /data
# The working directory is the volume too: a .env copied from .env.example says DATA_DIR=./data,
# which then still lands in the volume (/data/data) instead of a read-only /app.
WORKDIR /data
USER 10001:10001
EXPOSE 8000
# The binary itself asks its /health (no curl in the image).
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["/usr/local/bin/techbot", "healthcheck"]
# The binary is PID 1: it stops on SIGTERM (in-flight requests and jobs finish) and exits 0.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/techbot"]
CMD ["serve"]
