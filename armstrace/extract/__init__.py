"""Extraction: article text → SPEC claims, as a pipeline of named components."""
