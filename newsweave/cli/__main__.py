"""``python -m newsweave.cli``: the ``newsweave`` command."""

from __future__ import annotations

from . import main

if __name__ == "__main__":  # pragma: no cover
    main()
