"""The `armstrace` command line: thin commands over the Python API."""
