"""``python -m maillon.tally`` is the same as the ``tally`` console script."""

from maillon.tally.cli import main

raise SystemExit(main())
