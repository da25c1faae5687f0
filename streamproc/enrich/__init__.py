"""Enrichment: named entities with canonical names, and normalised dates (batched, off the event loop)."""
