"""`python -m armstrace` runs the CLI."""

from armstrace.cli.main import main

main()
