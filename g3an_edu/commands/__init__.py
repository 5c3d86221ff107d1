"""Subcommands of the ``g3an-edu`` CLI: one module each, with ``register(subparsers)``."""
