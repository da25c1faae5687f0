"""Story clustering: article profiles, the story decision, story records (pure, no Kafka)."""
