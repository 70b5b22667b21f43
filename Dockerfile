# syntax=docker/dockerfile:1
# BMIP in containers, for those who use them. NOT tested by CI: the tested path is Debian +
# systemd (docs/deploy.md). compose.yaml runs web, worker, postgres, redis and nginx.
#
#   docker build -t bmip .                 # the app (gunicorn / qcluster / manage.py)
#   docker build -t bmip-nginx --target nginx .

FROM python:3.11-slim-bookworm AS app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STATIC_ROOT=/srv/bmip/static MEDIA_ROOT=/srv/bmip/media STATIC_MANIFEST=1
# weasyprint's system libraries (the list bin/ensure-syslibs installs).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
       libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system bmip && useradd --system --gid bmip --home-dir /srv/bmip bmip
WORKDIR /srv/bmip/app
# Dependencies first (their own layer): the runtime list of pyproject.toml.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt && rm /tmp/requirements.txt
COPY . .
# Static files at build time (hashed names, gzip/brotli copies); a throw-away key for this step
# only: the settings refuse DEBUG=0 without one. The real key comes from the environment.
RUN DEBUG=0 SECRET_KEY=collectstatic-only EMAIL_BACKEND=file \
       python manage.py collectstatic --noinput -v 0 \
    && mkdir -p /srv/bmip/media /srv/bmip/sent-mail \
    && chown bmip:bmip /srv/bmip/media /srv/bmip/sent-mail
USER bmip
ENV WEB_BIND=0.0.0.0:8000
EXPOSE 8000
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py", "bmip.wsgi"]

# nginx in front: the same site as deploy/nginx/bmip.conf.template, its @@TOKENS@@ filled from
# the environment when the container starts (deploy/docker/nginx-render.sh), static files
# copied from the app image.
FROM nginx:1.27-bookworm AS nginx
COPY --from=app /srv/bmip/static /srv/bmip/static
COPY deploy/nginx/bmip.conf.template /etc/nginx/bmip.conf.template
COPY deploy/docker/nginx-render.sh /docker-entrypoint.d/40-bmip-render.sh
RUN chmod 0755 /docker-entrypoint.d/40-bmip-render.sh && rm -f /etc/nginx/conf.d/default.conf
