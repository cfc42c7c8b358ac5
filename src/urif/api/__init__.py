"""The FastAPI app under /api and the web dashboard at /."""
