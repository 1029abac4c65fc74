# One image for every service: SERVICE picks the module (referrals, case_store, ...).
FROM python:3.11-slim AS base
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_PROJECT_ENVIRONMENT=/opt/venv UV_PYTHON_DOWNLOADS=never
RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /app
COPY pyproject.toml uv.lock ./
COPY contracts ./contracts
COPY services ./services
RUN uv sync --frozen --no-dev --no-editable
RUN useradd --system --uid 10001 natverk && mkdir -p /data && chown natverk /data
USER natverk
# Production image: NATVERK_JWKS, NATVERK_JWT_AUDIENCE and NATVERK_JWT_ISSUER (and the ops CLI's
# NATVERK_JWT_SECRET) come from the deployment; without them a service refuses to start.  Never NATVERK_DEV.
ENV PATH=/opt/venv/bin:$PATH NATVERK_DATA_DIR=/data NATVERK_HOST=0.0.0.0
ARG SERVICE=referrals
ENV SERVICE=${SERVICE}
CMD ["sh", "-c", "exec python -m services.${SERVICE}"]
