# syntax=docker/dockerfile:1
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
# The example config is the default; mount your own config directory over /etc/sundial.
COPY config /etc/sundial/config
COPY versions /etc/sundial/versions
COPY routes /etc/sundial/routes
USER node
EXPOSE 8080 9090
HEALTHCHECK --interval=10s --timeout=3s CMD ["node", "-e", "fetch('http://127.0.0.1:9090/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "/app/dist/src/cli.js"]
CMD ["start", "--dir", "/etc/sundial"]
