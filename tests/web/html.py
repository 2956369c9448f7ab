"""Parse pages with lxml so tests inspect elements, never strings."""

from __future__ import annotations

from typing import Any

import lxml.html


def parse(text: str) -> Any:
    return lxml.html.document_fromstring(text)


def cells(table: Any) -> list[list[str]]:
    return [[td.text_content().strip() for td in tr.findall("td")]
            for tr in table.xpath(".//tbody/tr")]
