"""The stream-processing worker: ``Worker`` (service) on ``Health``, with process ``tuning``."""

from streamproc.worker.service import Worker

__all__ = ["Worker"]
