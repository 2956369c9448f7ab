"""Write stored data out: CSV and JSON Lines of claims, records and documents (`tabular`), a
GraphML actor network for Gephi (`graphml`) and a SIPRI-register-style CSV (`register`)."""

from armstrace.exports.graphml import build_graph, write_graphml
from armstrace.exports.register import REGISTER_COLUMNS, register_rows
from armstrace.exports.tabular import (
    CLAIM_COLUMNS,
    DOCUMENT_COLUMNS,
    RECORD_COLUMNS,
    claim_row,
    document_row,
    record_row,
    write_csv,
    write_jsonl,
)

__all__ = [
    "CLAIM_COLUMNS",
    "DOCUMENT_COLUMNS",
    "RECORD_COLUMNS",
    "REGISTER_COLUMNS",
    "build_graph",
    "claim_row",
    "document_row",
    "record_row",
    "register_rows",
    "write_csv",
    "write_graphml",
    "write_jsonl",
]
