"""The Faust wing: faust-streaming extended, through its own classes, for at-least-once.

One module per correction, each named for what it fixes (see README "Architecture"):
commit_guard, buffer_flush, delivery, offset_jumps, dropped_records, record_order; the fetch_wait tuning;
rereads (the requests dropped_records and record_order hand to the consumer); transport and app
(where they are installed); versions (the start-up check); monitor (Faust's Prometheus monitor).
"""
