"""Refuse XML that declares entities, before any parser that would expand them sees it.

Feeds and OPML files come from strangers. An XML entity declaration is how both classic
attacks work: "billion laughs" (entities that expand to gigabytes) and external entities
(`<!ENTITY x SYSTEM "file:///etc/passwd">`, which reads local files or URLs). Real feeds do
not need them, so any document that declares one is refused whole. defusedxml parses the
document with expansion disabled and tells us; when the XML is too broken for it to get that
far, a plain byte search for a declaration decides, since feedparser's lenient parser would
still read such a document.

A DOCTYPE with no internal subset (old RSS 0.91 feeds name Netscape's DTD) is harmless, since
neither expat nor feedparser fetches external DTDs, and stays allowed.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET

from armstrace.errors import InputError

_DECLARATION = re.compile(rb"<!\s*ENTITY", re.IGNORECASE)


def _refuse(where: str, what: str) -> InputError:
    return InputError(
        f"{where}: refused: the XML declares {what} (entity-expansion bomb or external "
        "entity); feeds have no need of them"
    )


def safe_parse(raw: bytes, where: str) -> Element | None:
    """The parsed root, or None for malformed XML that declares no entities (a lenient parser
    may still read it); raises InputError for any entity declaration or external reference."""
    try:
        root: Element = SafeET.fromstring(raw, forbid_dtd=False, forbid_entities=True,
                                          forbid_external=True)
    except defusedxml.EntitiesForbidden as e:
        raise _refuse(where, f"an entity {e.name!r}") from e
    except defusedxml.ExternalReferenceForbidden as e:
        raise _refuse(where, "an external reference") from e
    except defusedxml.DefusedXmlException as e:
        raise _refuse(where, type(e).__name__) from e
    except ParseError:
        if _DECLARATION.search(raw):
            raise _refuse(where, "an entity, in broken XML") from None
        return None
    return root


def check_xml(raw: bytes, where: str) -> None:
    """Raise InputError when `raw` declares entities; malformed XML passes (see safe_parse)."""
    safe_parse(raw, where)
