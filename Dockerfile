FROM python:3.11-slim-bookworm

# System libraries: Pango/HarfBuzz and fonts for WeasyPrint PDFs, gettext for translations.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext curl \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
# collectstatic runs with production settings, which refuse a placeholder key: a throwaway one.
RUN python manage.py compilemessages --ignore=.venv -v 0 \
    && DEBUG=0 SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
       python manage.py collectstatic --noinput -v 0

EXPOSE 8000
# gunicorn.conf.py: bind, workers, and an access log without visitors' addresses (DESIGN §6).
CMD ["gunicorn", "--config", "gunicorn.conf.py"]
