# syntax=docker/dockerfile:1
#
# One image for every gtwatch process: `gtwatch run scorer|sink|api`, `gtwatch migrate`, `gtwatch topics create`,
# `gtwatch score` … The CLI is the entrypoint, so the command is what follows the image name.
#
#   docker build -t gtwatch:dev .
#   docker run --rm --read-only --tmpfs /tmp gtwatch:dev --help
#
# Stages: manifests (package.json files only, so dependency layers are rebuilt only when a manifest or the lockfile
# changes) → build (all dependencies, `turbo run build`) → prod-deps (`npm ci --omit=dev` over the same workspaces)
# → runtime (production node_modules plus what each workspace lists in its package.json `files`).

ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY package.json package-lock.json ./
COPY packages ./packages
COPY services ./services
# Keep only each workspace's package.json: source edits must not invalidate the `npm ci` layers below.
RUN find packages services -mindepth 2 -maxdepth 2 ! -name package.json -exec rm -rf {} +

FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV TURBO_TELEMETRY_DISABLED=1 NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
COPY --from=manifests /src/ ./
# No install script is needed to compile: tsc is plain JS and turbo ships its binary as an optional dependency.
# Skipping them keeps native builds of test-only packages (ssh2/cpu-features via testcontainers) out of the image.
RUN npm ci --ignore-scripts
COPY tsconfig.base.json turbo.json ./
COPY packages ./packages
COPY services ./services
RUN npx turbo run build
# Collect exactly what each workspace declares it ships (package.json `files`: dist, bin, fixtures, json-schema …).
RUN node -e " \
  const fs = require('node:fs'); const path = require('node:path'); \
  for (const root of ['packages', 'services']) for (const name of fs.readdirSync(root)) { \
    const dir = path.join(root, name); const manifest = path.join(dir, 'package.json'); \
    if (!fs.existsSync(manifest)) continue; \
    const files = JSON.parse(fs.readFileSync(manifest, 'utf8')).files ?? ['dist']; \
    for (const entry of files) { const from = path.join(dir, entry); \
      if (fs.existsSync(from)) fs.cpSync(from, path.join('/out', dir, entry), { recursive: true }); } \
  }"

FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
COPY --from=manifests /src/ ./
# Root + every workspace, production dependencies only; workspaces are linked as node_modules/@gtwatch/* symlinks.
# No production dependency has an install script (checked against package-lock.json).
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOME=/tmp \
    PORT=9464
WORKDIR /app
COPY --from=prod-deps /app/ ./
COPY --from=build /out/ ./
# The example reference data, so `GTWATCH_REFERENCE_DIR=/app/reference` works for a demo; production mounts its own.
# Everything under /app stays root-owned and read-only to the process.
RUN ln -s /app/packages/numbering/fixtures/reference /app/reference
# The `node` user of the base image (uid/gid 1000); numeric so Kubernetes can verify runAsNonRoot.
USER 1000:1000
EXPOSE 9464
# Liveness only (the event loop answers); readiness is /readyz, left to the orchestrator. No curl in the slim
# image, so Node's own fetch does the request.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 9464) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "/app/packages/cli/bin/gtwatch.js"]
CMD ["--help"]
