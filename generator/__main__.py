"""``python -m generator`` is the same as the ``gitops-gen`` console script (``generator.entry``)."""

from generator.entry import main

main()
