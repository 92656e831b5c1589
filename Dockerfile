# One image for every part of the suite (hub, services, stand-in); docker-compose.yml picks the command.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY iwmo ./iwmo
COPY infra ./infra
COPY gateway ./gateway
COPY services ./services
COPY schemas ./schemas
RUN pip install --no-cache-dir ".[services]" && useradd --system --uid 10001 iwmo
USER iwmo
CMD ["iwmo", "--help"]
