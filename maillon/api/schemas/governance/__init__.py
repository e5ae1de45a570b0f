"""Shapes of the governance API, one module per router (``assemblies``, ``polls``).

Nothing here carries a count before a poll is closed: a poll's output has its
options and the caller's own seats, never how many voted what."""
