"""``python -m generator`` is the same as the ``gitops-gen`` console script."""

from generator.cli import main

raise SystemExit(main())
