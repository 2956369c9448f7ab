"""armstrace: source-linked claims about arms transfers and weapons programmes from news text.

The public API is what a notebook needs::

    import armstrace
    text = "Officials in Kyiv said Iran had shipped about 300 drones to Russia."
    claims = armstrace.extract(text)
    print(claims[0].to_dict())
"""

from __future__ import annotations

from armstrace.errors import (
    ArmstraceError,
    ConfigError,
    InputError,
    LexiconError,
    ValidationError,
)
from armstrace.extract.pipeline import (
    PIPELINE_VERSION,
    Pipeline,
    component,
    default_pipeline,
    extract,
    extract_document,
)
from armstrace.models import (
    Claim,
    Document,
    Mention,
    Quantity,
    Source,
    Span,
    claim_from_dict,
    document_from_dict,
)

__version__ = "0.1.0"

__all__ = [
    "PIPELINE_VERSION",
    "ArmstraceError",
    "Claim",
    "ConfigError",
    "Document",
    "InputError",
    "LexiconError",
    "Mention",
    "Pipeline",
    "Quantity",
    "Source",
    "Span",
    "ValidationError",
    "__version__",
    "claim_from_dict",
    "component",
    "default_pipeline",
    "document_from_dict",
    "extract",
    "extract_document",
]
