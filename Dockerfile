# syntax=docker/dockerfile:1
# Node.js 26, the current LTS (the test suite runs on Node 20, the oldest supported line).
# Build: compile TypeScript with the dev dependencies.
FROM node:26-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json ./
COPY src ./src
COPY examples ./examples
COPY test ./test
COPY bench ./bench
RUN npx tsc -p tsconfig.json

# Run: production dependencies and the compiled gateway only, as the unprivileged node user.
FROM node:26-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist/src ./dist/src
# The admin page's static files, read at run time from beside the compiled code.
COPY src/admin/page/assets ./src/admin/page/assets
# The example config is the default; mount your own config directory over /etc/sundial
# (read-only is fine).
COPY config /etc/sundial/config
COPY versions /etc/sundial/versions
COPY routes /etc/sundial/routes
# The local flags file is written by the rollout controller and `sundial rollout`, so it
# lives outside the read-only config, in a folder the node user owns (mount a volume there
# to keep it). The shipped config reads its path from SUNDIAL_FLAGS_FILE.
RUN mkdir -p /var/lib/sundial && cp /etc/sundial/config/flags.yaml /var/lib/sundial/flags.yaml \
  && chown -R node:node /var/lib/sundial
ENV SUNDIAL_FLAGS_FILE=/var/lib/sundial/flags.yaml
VOLUME ["/var/lib/sundial"]
USER node
EXPOSE 8080 9090
# /healthz on the admin listener the config names, whatever its port.
HEALTHCHECK --interval=10s --timeout=5s CMD ["node", "/app/dist/src/cli/healthcheck.js", "/etc/sundial"]
ENTRYPOINT ["node", "/app/dist/src/cli.js"]
CMD ["start", "--dir", "/etc/sundial"]
