# Two stages: the first compiles psycopg2 (and anything else without a wheel) into a virtualenv from
# the lock file, hashes checked; the final image gets that virtualenv and no compiler.
FROM python:3.11-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev gettext \
    && rm -rf /var/lib/apt/lists/*
# The translations (.po) compiled to the .mo files Django reads; the final image needs no gettext.
COPY locale /opt/locale
RUN for po in /opt/locale/*/LC_MESSAGES/*.po; do msgfmt --check -o "${po%.po}.mo" "$po"; done
RUN python -m venv /opt/venv
COPY requirements.lock /tmp/requirements.lock
RUN /opt/venv/bin/pip install --no-cache-dir --require-hashes -r /tmp/requirements.lock

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH=/opt/venv/bin:$PATH
# libpq5: psycopg2's runtime library. DejaVu: the font of the crisis-plan PDF.
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/venv /opt/venv

WORKDIR /app
COPY . .
COPY --from=build /opt/locale locale
# Static files are collected into the image; these values exist only for this one command.
RUN DEBUG=false SECRET_KEY=collectstatic ALLOWED_HOSTS=localhost EMAIL_URL=consolemail:// \
    FIELD_ENCRYPTION_KEYS=Ezoh4uepWVpP3AyY4CbCmTFRou2654HPfUsuSFw-0lA= \
    python manage.py collectstatic --noinput -v0

RUN useradd --create-home --uid 1000 supportnet && mkdir -p var && chown -R supportnet var
USER supportnet
EXPOSE 8000
# Asks /healthz (database and broker) the way a browser behind the proxy would.
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 \
    CMD ["python", "scripts/healthcheck.py"]
CMD ["gunicorn", "supportnet.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
