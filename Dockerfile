# syntax=docker/dockerfile:1
# The image deploy/ and deploy/host/ run (the controller, and in per-gateway and shared mode its data
# planes too): `docker build -t portico:dev .` from the repository root.
# Not built in Portico's own CI (it has no access to the base images' registry): see README,
# "Running in a cluster".

ARG NODE_MAJOR=20

# --- build: compile TypeScript with every (dev) dependency ------------------------------------
FROM node:${NODE_MAJOR}-bookworm AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
# tsconfig.json also includes test/ and bench/, which .dockerignore keeps out of the context:
# only src/ is compiled, to dist/src/.
RUN npx tsc -p tsconfig.json && test -f dist/src/cli/main.js

# --- runtime: Debian bookworm-slim with Node.js 20 (the official node image) and Debian's HAProxy
FROM node:${NODE_MAJOR}-bookworm-slim AS runtime
# haproxy: the data plane (2.6 in bookworm; the controller starts one per Gateway).
# tini: PID 1, so that SIGTERM reaches Portico and HAProxy processes left over by reloads are reaped.
# setcap gives /usr/sbin/haproxy, and nothing else, CAP_NET_BIND_SERVICE as a file capability,
# so that it binds ports below 1024 while the container runs as a non-root user (the Deployment
# keeps NET_BIND_SERVICE in the container's capabilities: the kernel refuses to run a binary
# whose file capability is outside the bounding set).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends haproxy tini openssl libcap2-bin \
 && setcap cap_net_bind_service=+ep /usr/sbin/haproxy \
 && apt-get purge -y --auto-remove libcap2-bin \
 && rm -rf /var/lib/apt/lists/* \
 && haproxy -v | head -n 1
RUN groupadd --system --gid 10001 portico \
 && useradd --system --uid 10001 --gid portico --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin portico
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# Runtime dependencies only; none of them has an install script.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
# crds/ is read at run time (validation of file input) and, with package.json, marks the project
# root that Portico finds itself from.
COPY crds ./crds
COPY bin ./bin
COPY --from=build /src/dist/src ./dist/src
RUN ln -s /app/bin/portico.js /usr/local/bin/portico && portico --version
USER 10001:10001
# The admin API (health, readiness, metrics, objects) with `--admin 0.0.0.0:9901`.
EXPOSE 9901
ENTRYPOINT ["/usr/bin/tini", "--", "portico"]
CMD ["--help"]
