"""The event vocabulary: frozen event types, canonical JSON, the hash link, JSON Schema."""
