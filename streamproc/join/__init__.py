"""The keyed dedup/story join around the pure dedup core (see README "Architecture").

For one raw message with source key ``S`` (``source_key``: ``topic/partition/offset``):

1. ingest (``pipeline.Ingestor``) parses and enriches it, then emits one ``Probe`` per content key
   (``fp:<fingerprint>``, one ``b<i>:<hash>`` per LSH band, ``st:<entity>`` per salient entity),
   keyed by that content key, and the article (``ArticlePart``), keyed by ``S``.
2. The partition that owns a content key (``owner.KeyOwner``) stores the new entry and answers
   with the entries stored before it.
3. The partition that owns ``S`` (``collector.Collector``) collects the article and every answer;
   when all are in, ``verdict`` gives the verdict and the story, and the record is published once.
4. An article that joined an existing story tells its story keys (``StoryAssignment``), so later
   articles follow the story rather than the article.

The worker moves ``messages`` through Kafka topics and keeps the state in Faust tables;
``OfflineJoin`` drives the same owner and collector over dicts for ``streamproc process``.
"""

from streamproc.join.offline import OfflineJoin

__all__ = ["OfflineJoin"]
