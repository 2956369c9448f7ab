"""Size limits shared by every reader, in one place so that a file and a URL obey the same cap.

10 MB of article is already absurd (a long feature is 100 KB of HTML text); anything larger is
a mistake or an attack, and refusing it early keeps memory bounded for every input kind.
"""

from __future__ import annotations

#: the most bytes read from one input: a file, a decompressed .gz, a fetched body
DEFAULT_MAX_BYTES = 10_000_000
