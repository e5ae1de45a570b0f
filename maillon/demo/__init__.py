"""Demo and benchmark data, kept apart from the product as Zulip keeps ``zilencer``:
``seed_demo`` (a realistic French demo built through the services, one builder per
module in ``builders/``), ``seed_scale`` and ``seed_missions`` (benchmark data sets
written in bulk by ``bulk.py``). Nothing else imports this app."""
