"""``python -m samhandling`` runs the CLI."""

from .cli import main

main()
