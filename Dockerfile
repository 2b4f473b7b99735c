# siaga112 service image. Asterisk runs beside it (see README); this image holds only siaga112.
# Not built in CI (no Docker engine on that machine kind); it runs the same npm scripts CI runs.

FROM node:20-bookworm-slim AS build
# better-sqlite3 is compiled from source: no prebuilt binary is downloaded.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    SIAGA112_MODE=production \
    SIAGA112_HTTP_HOST=0.0.0.0 \
    SIAGA112_DB_PATH=/var/lib/siaga112/siaga112.db
RUN groupadd --system siaga112 && useradd --system --gid siaga112 --home-dir /var/lib/siaga112 siaga112 \
 && mkdir -p /var/lib/siaga112 && chown siaga112:siaga112 /var/lib/siaga112
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY migrations ./migrations
USER siaga112
VOLUME ["/var/lib/siaga112"]
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.SIAGA112_HTTP_PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Secrets (SIAGA112_API_TOKEN, SIAGA112_ARI_PASSWORD, SIAGA112_AMI_PASSWORD) come from the
# environment at run time; start-up stops with a clear line when one is missing.
CMD ["node", "dist/main.js"]
