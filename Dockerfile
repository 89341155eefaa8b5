# govtrack: one image for the web, worker and beat processes.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock .
RUN pip install -r requirements.lock
COPY . .
# Static files are collected at build time with throwaway settings; nothing secret is baked in.
RUN DEBUG=false SECRET_KEY=build-only STATIC_ROOT=/app/staticfiles python manage.py collectstatic --noinput -v 0

RUN useradd --create-home --uid 1000 govtrack && mkdir -p /app/media && chown govtrack /app/media
USER govtrack
EXPOSE 8000
# One sync worker per core serves the most (bench/README.md, load test); gunicorn reads WEB_CONCURRENCY.
ENV WEB_CONCURRENCY=2
CMD ["gunicorn", "govtrack.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
