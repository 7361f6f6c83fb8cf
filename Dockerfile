FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
RUN DEBUG=false SECRET_KEY=collectstatic ALLOWED_HOSTS=localhost EMAIL_URL=consolemail:// \
    python manage.py collectstatic --noinput

RUN useradd --create-home --uid 1000 supportnet && mkdir -p var && chown -R supportnet var
USER supportnet
EXPOSE 8000
CMD ["gunicorn", "supportnet.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
