"""The `kgbuild` command line: thin click commands over the library, one module per kind
of input (news text, a graph, an HTTP endpoint); `base` holds what they share."""
from __future__ import annotations

from . import actors, endpoints, graphs, text  # noqa: F401  (each registers its commands)
from .base import DEFAULT_LIMIT, cli

__all__ = ["DEFAULT_LIMIT", "cli", "main"]


def main() -> None:
    """Entry point of the `kgbuild` console script."""
    cli(prog_name="kgbuild")
