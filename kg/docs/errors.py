"""The error every part of ``coopgraph docs`` raises."""

from __future__ import annotations


class DocsError(ValueError):
    """Documentation that cannot be written, with the reason."""
