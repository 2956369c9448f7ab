"""SPEC §8 scoring: system claims against gold claims, per document, at the level of groups.

The figures are those of the reference scorer `../shared/tools/score.py`, on any input,
including its less obvious choices, each noted where it is made:

- a group is every claim of a document sharing a key and a `polarity` (a claim without a
  `polarity` field counts as `affirmed`); a gold group accepts its own key and the keys its
  claims' `item_category_alt` categories give;
- gold groups are matched in the order their first claim appears; each takes the first of the
  keys it accepts, ordered by their `str()`, that names a system group not yet taken;
- a gold group whose claims are all `optional` scores nothing when matched (but still takes its
  system group) and nothing when missed; optional claims of a mixed group give no attribute pair;
- every required gold claim of a matched group is paired with the first system claim of that
  group that agrees with it on the most attributes (what Python's `max` returns);
- claims of a kind outside SPEC §1 are grouped and paired like any other: their groups are in no
  reported count, but their attribute pairs are.

Reported ratios are rounded to four places, as score.py prints them; the text report formats
those rounded values.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from armstrace.errors import InputError, ValidationError

__all__ = [
    "ATTRIBUTES",
    "KINDS",
    "AttributeScore",
    "EvalResult",
    "KindScore",
    "format_report",
    "format_summary",
    "group_key",
    "load_claims",
    "score",
    "source_name_matches",
]

KINDS: tuple[str, ...] = ("transfer", "development", "agreement")
ATTRIBUTES: tuple[str, ...] = (
    "certainty",
    "timing",
    "source_type",
    "source_name",
    "transfer_stage",
)
_PLACES = 4  # score.py rounds every ratio it reports to four decimal places

ClaimDict = Mapping[str, Any]
Key = tuple[Any, ...]


# --- reading ---------------------------------------------------------------------------------


def load_claims(path: str | Path) -> dict[str, list[dict[str, Any]]]:
    """Claims by document id from a SPEC §7 output or gold file (one `{"doc_id", "claims"}` a line).

    Blank lines are skipped; a later line with the same `doc_id` replaces an earlier one; a
    missing or null `claims` is an empty list. Raises `InputError` (unreadable file, a line that
    is not a JSON object with a `doc_id`) or `ValidationError` (`claims` not a list), naming
    `path:line`. Claims themselves are checked when they are scored.
    """
    docs: dict[str, list[dict[str, Any]]] = {}
    try:
        with open(path, encoding="utf-8") as fh:
            for lineno, raw in enumerate(fh, 1):
                line = raw.strip()
                if line:
                    doc_id, claims = _parse_line(line, f"{path}:{lineno}")
                    docs[doc_id] = claims
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8: {e.reason} at byte {e.start}") from e
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror or e}") from e
    return docs


def _parse_line(line: str, where: str) -> tuple[str, list[dict[str, Any]]]:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        raise InputError(f"{where}: not JSON: {e}") from e
    if not isinstance(obj, dict) or "doc_id" not in obj:
        raise InputError(f'{where}: not an object with a "doc_id"')
    claims = obj.get("claims") or []
    if not isinstance(claims, list):
        raise ValidationError(f'{where}: "claims" is {type(claims).__name__}, not a list')
    # str(): score.py keys documents by the text of the id, so 7 and "7" are one document
    return str(obj["doc_id"]), claims


# --- groups and pairs ------------------------------------------------------------------------


def group_key(claim: ClaimDict, category: Any = None) -> Key:
    """The SPEC §8 group key of `claim`, its polarity last.

    `category`, when not None, stands in for the claim's own `item_category` (to build the keys
    an `item_category_alt` entry gives). Kinds outside SPEC §1 key on kind and polarity alone.
    """
    kind = claim.get("kind")
    item_category = claim.get("item_category") if category is None else category
    head: Key
    if kind == "transfer":
        head = (kind, claim.get("supplier"), claim.get("recipient"), item_category)
    elif kind == "development":
        head = (kind, claim.get("actor"), item_category, claim.get("stage"))
    elif kind == "agreement":
        head = (kind, tuple(sorted(claim.get("parties") or ())))
    else:
        head = (kind,)
    return (*head, claim.get("polarity", "affirmed"))


def _accepted_keys(claim: ClaimDict) -> set[Key]:
    """Every key a gold claim matches: its own and one per alternative category."""
    keys = {group_key(claim)}
    if claim.get("kind") != "agreement":  # agreements have no category in their key
        keys.update(group_key(claim, alt) for alt in claim.get("item_category_alt") or ())
    return keys


def source_name_matches(gold_source: ClaimDict | None, system_source: ClaimDict | None) -> bool:
    """SPEC §8 name rule: the case-folded last word of either name occurs in the other.

    For a gold source of type `outlet`, any system source of type `outlet` matches. An empty or
    missing name matches nothing.
    """
    gold_source, system_source = gold_source or {}, system_source or {}
    if gold_source.get("type") == "outlet":
        return bool(system_source.get("type") == "outlet")
    gold_name = (gold_source.get("name") or "").casefold().strip()
    system_name = (system_source.get("name") or "").casefold().strip()
    if not gold_name or not system_name:
        return False
    return gold_name.split()[-1] in system_name or system_name.split()[-1] in gold_name


def _agreement(gold: ClaimDict, system: ClaimDict) -> dict[str, bool | None]:
    """Per attribute, whether `system` agrees with `gold` (None: not applicable)."""
    gold_source, system_source = gold.get("source") or {}, system.get("source") or {}
    return {
        "certainty": bool(gold.get("certainty") == system.get("certainty")),
        "timing": bool(gold.get("timing") == system.get("timing")),
        "source_type": bool(gold_source.get("type") == system_source.get("type")),
        "source_name": source_name_matches(gold_source, system_source),
        "transfer_stage": (
            bool(gold.get("stage") == system.get("stage"))
            if gold.get("kind") == "transfer"
            else None
        ),
    }


def _best_agreement(gold: ClaimDict, candidates: Sequence[ClaimDict]) -> dict[str, bool | None]:
    """The agreement with the system claim agreeing most; the earliest one on a tie."""
    best: dict[str, bool | None] | None = None
    best_count = -1
    for candidate in candidates:
        agreement = _agreement(gold, candidate)
        count = sum(1 for value in agreement.values() if value)
        if count > best_count:
            best, best_count = agreement, count
    assert best is not None, "a matched system group is never empty"
    return best


# --- tallies -----------------------------------------------------------------------------------


@dataclass
class _GoldGroup:
    kind: Any
    accepts: set[Key] = field(default_factory=set)
    claims: list[ClaimDict] = field(default_factory=list)
    optional: bool = True  # until one claim of the group is required


@dataclass
class _Tally:
    counts: dict[Any, list[int]] = field(default_factory=dict)  # kind -> [tp, fp, fn]
    attributes: dict[str, list[int]] = field(
        default_factory=lambda: {a: [0, 0] for a in ATTRIBUTES}  # attribute -> [correct, pairs]
    )

    def add(self, kind: Any, which: int) -> None:
        self.counts.setdefault(kind, [0, 0, 0])[which] += 1

    def pair(self, agreement: Mapping[str, bool | None]) -> None:
        for name, value in agreement.items():
            if value is not None:
                self.attributes[name][0] += value
                self.attributes[name][1] += 1


_TP, _FP, _FN = 0, 1, 2


def _checked(claims: Sequence[Any], doc_id: str, side: str) -> list[ClaimDict]:
    for i, claim in enumerate(claims):
        if not isinstance(claim, Mapping):
            raise ValidationError(f"{side} document {doc_id!r}: claim {i} is not an object")
    return list(claims)


def _score_document(doc_id: str, gold: Sequence[Any], system: Sequence[Any], tally: _Tally) -> None:
    try:
        gold_groups: dict[Key, _GoldGroup] = {}
        for claim in _checked(gold, doc_id, "gold"):
            key = group_key(claim)
            if key not in gold_groups:
                gold_groups[key] = _GoldGroup(kind=key[0])
            group = gold_groups[key]
            group.accepts |= _accepted_keys(claim)
            group.claims.append(claim)
            group.optional = group.optional and bool(claim.get("optional"))
        system_groups: dict[Key, list[ClaimDict]] = {}
        for claim in _checked(system, doc_id, "system"):
            system_groups.setdefault(group_key(claim), []).append(claim)
    except TypeError as e:  # an unhashable or unsortable value where a key needs a plain one
        raise ValidationError(f"document {doc_id!r}: claim values cannot form a key: {e}") from e

    taken: set[Key] = set()
    for group in gold_groups.values():
        hit = next(
            (k for k in sorted(group.accepts, key=str) if k in system_groups and k not in taken),
            None,
        )
        if hit is None:
            if not group.optional:
                tally.add(group.kind, _FN)
            continue
        taken.add(hit)
        if not group.optional:
            tally.add(group.kind, _TP)
        for claim in group.claims:
            if not claim.get("optional"):
                tally.pair(_best_agreement(claim, system_groups[hit]))
    for key in system_groups:
        if key not in taken:
            tally.add(key[0], _FP)


# --- results -----------------------------------------------------------------------------------


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


@dataclass(frozen=True, slots=True)
class KindScore:
    """Group counts for one kind (or overall), with exact precision, recall and F1."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, _PLACES),
            "recall": round(self.recall, _PLACES),
            "f1": round(self.f1, _PLACES),
        }


@dataclass(frozen=True, slots=True)
class AttributeScore:
    """How many matched gold claims had this attribute right, out of how many pairs."""

    correct: int
    pairs: int

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.pairs if self.pairs else None

    def rounded(self) -> float | None:
        accuracy = self.accuracy
        return None if accuracy is None else round(accuracy, _PLACES)


@dataclass(frozen=True)
class EvalResult:
    """SPEC §8 figures over `documents` documents."""

    documents: int
    kinds: Mapping[str, KindScore]  # transfer, development, agreement, in that order
    overall: KindScore
    attributes: Mapping[str, AttributeScore]  # in ATTRIBUTES order

    @property
    def attribute_pairs(self) -> int:
        """Matched required gold claims, i.e. the pairs behind the certainty accuracy."""
        return self.attributes["certainty"].pairs

    def to_json(self) -> dict[str, Any]:
        """The object `score.py --json` prints: same keys, same order, same rounding."""
        return {
            "documents": self.documents,
            "kinds": {kind: s.to_json() for kind, s in self.kinds.items()},
            "overall": self.overall.to_json(),
            "attributes": {name: a.rounded() for name, a in self.attributes.items()},
            "attribute_pairs": self.attribute_pairs,
        }


def score(
    gold: Mapping[str, Sequence[ClaimDict]],
    system: Mapping[str, Sequence[ClaimDict]],
    doc_ids: Sequence[str] | None = None,
) -> EvalResult:
    """Score `system` against `gold` (doc id -> claims) over `doc_ids`, by default every gold doc.

    A document missing from either side has no claims there. An id listed twice is scored twice,
    as score.py's `--docs` does.
    """
    ids = list(gold) if doc_ids is None else list(doc_ids)
    tally = _Tally()
    for doc_id in ids:
        _score_document(doc_id, gold.get(doc_id, []), system.get(doc_id, []), tally)
    kinds = {kind: KindScore(*tally.counts.get(kind, (0, 0, 0))) for kind in KINDS}
    overall = KindScore(*(sum(getattr(k, f) for k in kinds.values()) for f in ("tp", "fp", "fn")))
    attributes = {name: AttributeScore(*tally.attributes[name]) for name in ATTRIBUTES}
    return EvalResult(len(ids), kinds, overall, attributes)


# --- text --------------------------------------------------------------------------------------


def _fixed(value: float | None, places: int) -> str:
    return "-" if value is None else f"{value:.{places}f}"


def format_report(result: EvalResult) -> str:
    """The table `score.py` prints by default (without the final newline)."""
    data = result.to_json()
    rows = [*data["kinds"].items(), ("overall", data["overall"])]
    lines = [
        f"documents: {result.documents}",
        f"{'kind':<12} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>6} {'R':>6} {'F1':>6}",
        *(
            f"{name:<12} {v['tp']:>4} {v['fp']:>4} {v['fn']:>4} "
            f"{v['precision']:>6.3f} {v['recall']:>6.3f} {v['f1']:>6.3f}"
            for name, v in rows
        ),
        "attribute accuracy on matched gold claims:",
        *(
            f"  {name:<15} {_fixed(data['attributes'][name], 3)}  (n={a.pairs})"
            for name, a in result.attributes.items()
        ),
        f"overall F1 {data['overall']['f1']:.3f}",
    ]
    return "\n".join(lines)


def format_summary(result: EvalResult) -> str:
    """The line `score.py --summary` prints (without the newline)."""
    data = result.to_json()
    overall, attrs = data["overall"], data["attributes"]
    return (
        f"F1 {overall['f1']:.3f} (P {overall['precision']:.3f} R {overall['recall']:.3f}, "
        f"{result.documents} docs); certainty {_fixed(attrs['certainty'], 2)}, "
        f"timing {_fixed(attrs['timing'], 2)}, source {_fixed(attrs['source_name'], 2)}, "
        f"stage {_fixed(attrs['transfer_stage'], 2)}"
    )
