"""Shapes of the volunteering API, one module per router of
``routers/volunteering/``: ``missions``, ``applications``, ``hours``."""
