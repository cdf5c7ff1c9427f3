# CTI Bridge, the production image (README "Install in production"). Three stages:
#   page     builds the agent page (web_softphone) with Node
#   wheel    builds the Python wheel; with no npm here, web_softphone/wheel_hook.py packs the
#            page built by the first stage as cti/web_dist
#   runtime  a slim Python with the wheel installed, run as the unprivileged user `cti`
# tests/test_compose.py checks this file (stages, user, command, health check) and the wheel
# stage's build from exactly what it copies; no Docker engine runs on the development machines.

FROM node:20-bookworm-slim AS page
WORKDIR /src/web_softphone
COPY web_softphone/package.json web_softphone/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY web_softphone/build.mjs web_softphone/index.html web_softphone/tsconfig.json ./
COPY web_softphone/src ./src
COPY web_softphone/test ./test
RUN npm run build

FROM python:3.11-slim AS wheel
WORKDIR /src
RUN pip install --no-cache-dir "hatchling>=1.26"
COPY pyproject.toml README.md .gitignore ./
COPY cti ./cti
COPY crm_core ./crm_core
COPY web_softphone/wheel_hook.py ./web_softphone/
COPY --from=page /src/web_softphone/dist ./web_softphone/dist
RUN pip wheel --no-cache-dir --no-deps --no-build-isolation --wheel-dir /wheels .

FROM python:3.11-slim AS runtime
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/cti --create-home cti
COPY --from=wheel /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
ENV CTI_VAR_DIR=/var/lib/cti \
    CTI_HTTP_HOST=0.0.0.0 \
    CTI_HTTP_PORT=8000 \
    CTI_SANDBOX=false \
    PYTHONUNBUFFERED=1
WORKDIR /var/lib/cti
USER cti
EXPOSE 8000 4573
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ['CTI_HTTP_PORT'] + '/healthz', timeout=4)"]
CMD ["cti", "serve"]
