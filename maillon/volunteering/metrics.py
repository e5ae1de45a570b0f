"""Volunteering indicators published in the metrics registry (see maillon.metrics)."""


def register_metrics() -> None:
    pass
