# The geo_klik application image: Debian 12's Python 3.11 with GDAL/GEOS/PROJ and the locked
# dependencies. Used by docker-compose.yml for web, worker and beat.
FROM debian:12-slim
ENV DEBIAN_FRONTEND=noninteractive PYTHONUNBUFFERED=1 PATH=/app/.venv/bin:$PATH
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-venv gdal-bin binutils libproj-dev nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock package.json package-lock.json ./
RUN python3 -m venv .venv && .venv/bin/pip install --no-cache-dir --require-hashes -r requirements.lock \
 && npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN useradd --system --home /app geo_klik && mkdir -p var/static var/media var/vapid && chown -R geo_klik var && chmod 700 var/vapid
USER geo_klik
EXPOSE 8000
