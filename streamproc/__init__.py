"""streamproc: a Kafka stream processor for news."""

__version__ = "0.1.0"
