"""Readers that turn files into `Document`s (plain text and SPEC §7 JSON Lines for now)."""

from armstrace.ingest.files import DEFAULT_MAX_BYTES, read_paths

__all__ = ["DEFAULT_MAX_BYTES", "read_paths"]
