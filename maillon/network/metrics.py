"""Indicators the network app publishes in the metrics registry."""


def register_metrics() -> None:
    """The practice sheets' metrics are registered here once they exist."""
