"""coopgraph: a knowledge graph of international technical cooperation on labour,
employment and social protection.

The public API is small; the ``coopgraph`` command wraps it one call per command.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("coopgraph")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
