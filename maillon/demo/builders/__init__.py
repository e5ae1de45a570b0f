"""One builder per module for ``seed_demo``: each creates its part of the demo through
the module's services and is idempotent (it recognises what is already there)."""
