"""SPEC §8 scoring (armstrace.evaluate): hand-worked cases, and agreement with score.py.

The hand-worked cases live in tests/fixtures/eval/ (`<case>.gold.jsonl`, `<case>.system.jsonl`
and the expected figures, with the reasoning, in `expected.json`): a new case is new files and a
new entry there. The comparisons with ../shared/tools/score.py run it as a subprocess on the
shared gold files, on perturbed copies of them that each test writes to tmp_path, and on the
hand-worked cases; they skip when ../shared is absent.
"""

from __future__ import annotations

import copy
import json
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from armstrace.errors import InputError, ValidationError
from armstrace.evaluate import (
    EvalResult,
    format_report,
    format_summary,
    load_claims,
    score,
    source_name_matches,
)

from .conftest import need_shared

FIXTURES = Path(__file__).parent / "fixtures" / "eval"
EXPECTED: dict[str, dict[str, Any]] = json.loads((FIXTURES / "expected.json").read_text("utf-8"))

Docs = dict[str, list[dict[str, Any]]]
Perturbation = Callable[[Docs, random.Random], tuple[Docs, Docs]]  # gold -> (gold', system)

CATEGORIES = (
    "uav",
    "loitering_munitions",
    "ammunition",
    "artillery",
    "ballistic_missiles",
    "weapons_unspecified",
    "components",
    "personnel",
)
ACTORS = ("PRK", "RUS", "IRN", "USA", "UKR", "CHN", "hezbollah")


# --- helpers -----------------------------------------------------------------------------------


def write_docs(path: Path, docs: Docs) -> Path:
    path.write_text(
        "".join(json.dumps({"doc_id": d, "claims": c}) + "\n" for d, c in docs.items()),
        encoding="utf-8",
    )
    return path


def run_score_py(gold: Path, system: Path, *flags: str) -> str:
    script = need_shared("tools", "score.py")
    done = subprocess.run(
        [sys.executable, str(script), str(gold), str(system), *flags],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def docs_flag(doc_ids: list[str] | None) -> list[str]:
    return ["--docs", ",".join(doc_ids)] if doc_ids else []


def assert_same_as_score_py(gold: Path, system: Path, doc_ids: list[str] | None = None) -> None:
    result = score(load_claims(gold), load_claims(system), doc_ids)
    out = run_score_py(gold, system, "--json", *docs_flag(doc_ids))
    assert result.to_json() == json.loads(out)
    assert json.dumps(result.to_json()) + "\n" == out  # same keys, order and float text


# --- perturbations of the shared gold (each returns gold', system) ----------------------------

PERTURBATIONS: dict[str, Perturbation] = {}


def perturbation(fn: Perturbation) -> Perturbation:
    PERTURBATIONS[fn.__name__] = fn
    return fn


def each_claim(docs: Docs) -> list[dict[str, Any]]:
    return [c for claims in docs.values() for c in claims]


@perturbation
def identical(gold: Docs, rng: random.Random) -> tuple[Docs, Docs]:
    return gold, copy.deepcopy(gold)


@perturbation
def empty_file(gold: Docs, rng: random.Random) -> tuple[Docs, Docs]:
    return gold, {}


@perturbation
def empty_claims(gold: Docs, rng: random.Random) -> tuple[Docs, Docs]:
    return gold, {d: [] for d in gold}


@perturbation
def drop_claims(gold: Docs, rng: random.Random) -> tuple[Docs, Docs]:
    return gold, {d: [c for c in cs if rng.random() > 0.4] for d, cs in copy.deepcopy(gold).items()}


@perturbation
def flip_polarity(gold: Docs, rng: random.Random) -> tuple[Docs, Docs]:
    system = copy.deepcopy(gold)
    for c in each_claim(system):
        if rng.random() < 0.3:
            c["polarity"] = "affirmed" if c.get("polarity") == "negated" else "negated"
        elif rng.random() < 0.3:
            del c["polarity"]  # missing polarity counts as affirmed
    return gold, system


@perturbation
def change_categories(gold: Docs, rng: random.Random) -> tuple[Docs, Docs]:
    system = copy.deepcopy(gold)
    for c in each_claim(system):
        alternates = c.pop("item_category_alt", None)
        if alternates and rng.random() < 0.6:
            c["item_category"] = rng.choice(alternates)
        elif rng.random() < 0.3:
            c["item_category"] = rng.choice(CATEGORIES)
    return gold, system


@perturbation
def change_attributes(gold: Docs, rng: random.Random) -> tuple[Docs, Docs]:
    system = copy.deepcopy(gold)
    for c in each_claim(system):
        if rng.random() < 0.4:
            c["certainty"] = rng.choice(("certain", "probable", "possible", None))
        if rng.random() < 0.4:
            c["timing"] = rng.choice(("past", "ongoing", "future", "unspecified"))
        if rng.random() < 0.3:
            c["stage"] = rng.choice(("agreed", "delivered", "unspecified", "test", "production"))
    return gold, system


@perturbation
def change_sources(gold: Docs, rng: random.Random) -> tuple[Docs, Docs]:
    system = copy.deepcopy(gold)
    for c in each_claim(system):
        src = c.get("source") or {}
        name = src.get("name") or ""
        roll = rng.random()
        if roll < 0.15:
            src["name"] = name.split()[-1].upper() if name.split() else "Reuters"
        elif roll < 0.3:
            src["name"] = rng.choice(("Reuters", "the ministry", "", None, "  ", "officials"))
        elif roll < 0.45:
            src["type"] = rng.choice(("outlet", "media", "government", "analyst", None))
        elif roll < 0.55:
            c["source"] = None
        elif roll < 0.65:
            src["name"] = f"  {name.casefold()} said  "
    return gold, system


@perturbation
def add_spurious(gold: Docs, rng: random.Random) -> tuple[Docs, Docs]:
    system = copy.deepcopy(gold)
    for doc_id, claims in system.items():
        for c in list(claims):
            if rng.random() < 0.4:
                extra = copy.deepcopy(c)
                role = {"transfer": "supplier", "development": "actor"}.get(c["kind"], "parties")
                extra[role] = [*rng.sample(ACTORS, 2)] if role == "parties" else rng.choice(ACTORS)
                claims.insert(rng.randrange(len(claims) + 1), extra)
        system[doc_id] = claims
    system["not-in-gold"] = copy.deepcopy(each_claim(gold)[:3])
    return gold, system


@perturbation
def move_between_docs(gold: Docs, rng: random.Random) -> tuple[Docs, Docs]:
    system: Docs = {d: [] for d in gold}
    ids = list(gold)
    for doc_id, claims in copy.deepcopy(gold).items():
        for c in claims:
            system[rng.choice(ids) if rng.random() < 0.3 else doc_id].append(c)
    return gold, system


@perturbation
def mark_optional(gold: Docs, rng: random.Random) -> tuple[Docs, Docs]:
    marked = copy.deepcopy(gold)
    for c in each_claim(marked):
        c["optional"] = rng.random() < 0.5
    _, system = drop_claims(gold, rng)
    return marked, system


@perturbation
def all_optional(gold: Docs, rng: random.Random) -> tuple[Docs, Docs]:
    marked = copy.deepcopy(gold)
    for c in each_claim(marked):
        c["optional"] = True
    return marked, add_spurious(gold, rng)[1]


@perturbation
def shuffle_and_duplicate(gold: Docs, rng: random.Random) -> tuple[Docs, Docs]:
    """Claims replaced by twins that are each off by one attribute, shuffled: pairing ties."""
    system: Docs = {}
    for doc_id, claims in copy.deepcopy(gold).items():
        out: list[dict[str, Any]] = []
        for c in claims:
            if rng.random() < 0.5:
                out.append(c)
                continue
            for field in rng.sample(("certainty", "timing", "source", "stage"), 2):
                twin = copy.deepcopy(c)
                if field == "source":
                    twin["source"] = {"name": "nobody", "type": "other"}
                elif field != "stage" or c["kind"] == "transfer":  # a development's stage is key
                    twin[field] = "other"
                out.append(twin)
        rng.shuffle(out)
        system[doc_id] = out
    return gold, system


@perturbation
def foreign_kinds(gold: Docs, rng: random.Random) -> tuple[Docs, Docs]:
    """Claims of a kind outside SPEC §1 on both sides, and agreements with shuffled parties."""
    marked, system = copy.deepcopy(gold), copy.deepcopy(gold)
    for docs in (marked, system):
        for claims in docs.values():
            for c in claims:
                if c.get("parties"):
                    rng.shuffle(c["parties"])
            if claims and rng.random() < 0.5:
                claims.append({**claims[0], "kind": "sanction"})
    return marked, system


@perturbation
def odd_values(gold: Docs, rng: random.Random) -> tuple[Docs, Docs]:
    """Values SPEC §7 forbids but score.py still scores: null polarity or kind, a string alt."""
    marked, system = copy.deepcopy(gold), copy.deepcopy(gold)
    for c in each_claim(marked) + each_claim(system):
        roll = rng.random()
        if roll < 0.1:
            c["polarity"] = None
        elif roll < 0.2:
            c.pop("kind")
        elif roll < 0.3:
            c["item_category_alt"] = "uav"  # iterated as characters, as score.py does
        elif roll < 0.4:
            c["item_category"], c["item_category_alt"] = None, ["uav", None]
        elif roll < 0.5:
            c["optional"] = "no"  # truthy
    return marked, system


# what `mixed` draws from: the perturbations that leave something to score
BASIC = tuple(
    p for p in PERTURBATIONS if p not in {"identical", "empty_file", "empty_claims", "all_optional"}
)


def mixed(seed: int) -> Perturbation:
    """Three basic perturbations in a row, each applied to gold' and to the system so far."""

    def apply(gold: Docs, rng: random.Random) -> tuple[Docs, Docs]:
        picks = rng.sample(BASIC, 3)
        marked, system = gold, copy.deepcopy(gold)
        for name in picks:
            marked = PERTURBATIONS[name](marked, rng)[0]
            system = PERTURBATIONS[name](system, rng)[1]
        return marked, system

    apply.__name__ = f"mixed_{seed}"
    return apply


for _seed in range(4):
    perturbation(mixed(_seed))

GOLD_SETS = ("seed", "dev")


def shared_gold(name: str) -> Path:
    return need_shared("eval", f"{name}.gold.jsonl")


def perturbed_case(tmp_path: Path, gold_name: str, how: str) -> tuple[Path, Path]:
    gold = load_claims(shared_gold(gold_name))
    marked, system = PERTURBATIONS[how](gold, random.Random(f"{gold_name}/{how}"))
    return write_docs(tmp_path / "gold.jsonl", marked), write_docs(tmp_path / "sys.jsonl", system)


CASES = [pytest.param(g, p, id=f"{g}-{p}") for g in GOLD_SETS for p in PERTURBATIONS]


# --- (a) figures identical to score.py --json --------------------------------------------------


@pytest.mark.parametrize(("gold_name", "how"), CASES)
def test_json_matches_score_py(tmp_path: Path, gold_name: str, how: str) -> None:
    assert_same_as_score_py(*perturbed_case(tmp_path, gold_name, how))


@pytest.mark.parametrize("gold_name", GOLD_SETS)
def test_shared_gold_against_itself_and_nothing(tmp_path: Path, gold_name: str) -> None:
    gold = shared_gold(gold_name)
    assert_same_as_score_py(gold, gold)
    assert_same_as_score_py(gold, write_docs(tmp_path / "empty.jsonl", {}))


@pytest.mark.parametrize("gold_name", GOLD_SETS)
def test_listed_docs_match_score_py(tmp_path: Path, gold_name: str) -> None:
    gold_path, sys_path = perturbed_case(tmp_path, gold_name, "add_spurious")
    ids = list(load_claims(gold_path))
    listed = [*ids[: len(ids) // 2 + 1], "not-in-gold", "no-such-doc", ids[0]]
    assert_same_as_score_py(gold_path, sys_path, listed)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_hand_cases_match_score_py(case: str) -> None:
    spec = EXPECTED[case]
    gold, system = (FIXTURES / f"{spec['files']}.{side}.jsonl" for side in ("gold", "system"))
    assert_same_as_score_py(gold, system, spec["docs"])


# --- (c) text identical to score.py's default and --summary output ----------------------------


@pytest.mark.parametrize(("gold_name", "how"), CASES)
@pytest.mark.parametrize("mode", ["report", "summary"])
def test_text_matches_score_py(tmp_path: Path, gold_name: str, how: str, mode: str) -> None:
    gold, system = perturbed_case(tmp_path, gold_name, how)
    result = score(load_claims(gold), load_claims(system))
    if mode == "report":
        assert format_report(result) + "\n" == run_score_py(gold, system)
    else:
        assert format_summary(result) + "\n" == run_score_py(gold, system, "--summary")


# --- (b) hand-worked cases (no ../shared needed) -----------------------------------------------


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_hand_worked_figures(case: str) -> None:
    spec = EXPECTED[case]
    gold = load_claims(FIXTURES / f"{spec['files']}.gold.jsonl")
    system = load_claims(FIXTURES / f"{spec['files']}.system.jsonl")
    assert score(gold, system, spec["docs"]).to_json() == spec["expected"], spec["why"]


def test_result_fields() -> None:
    result = score(
        load_claims(FIXTURES / "pairing.gold.jsonl"), load_claims(FIXTURES / "pairing.system.jsonl")
    )
    assert isinstance(result, EvalResult)
    assert result.documents == 2
    assert (result.overall.tp, result.overall.fp, result.overall.fn) == (1, 1, 1)
    assert result.kinds["development"].f1 == 0.0
    assert result.attributes["timing"].accuracy == 1.0
    assert result.attributes["transfer_stage"].pairs == 2
    assert result.attribute_pairs == 2
    with pytest.raises(AttributeError):
        result.documents = 3  # type: ignore[misc]


def test_exact_ratios_are_kept_and_rounding_is_for_output() -> None:
    gold = {
        "d": [
            {"kind": "transfer", "supplier": "A", "recipient": "B", "item_category": c}
            for c in ("uav", "artillery", "ammunition")
        ]
    }
    system = {"d": gold["d"][:1]}
    result = score(gold, system)
    assert result.overall.recall == 1 / 3
    assert result.to_json()["overall"]["recall"] == 0.3333


def test_no_documents() -> None:
    data = score({}, {}).to_json()
    assert data["documents"] == 0
    assert data["overall"] == {
        "tp": 0,
        "fp": 0,
        "fn": 0,
        "precision": 0.0,
        "recall": 0.0,
        "f1": 0.0,
    }
    assert set(data["attributes"].values()) == {None}
    assert format_summary(score({}, {})) == (
        "F1 0.000 (P 0.000 R 0.000, 0 docs); certainty -, timing -, source -, stage -"
    )


@pytest.mark.parametrize(
    ("gold", "system", "expected"),
    [
        ({"name": "Bruce Klingner", "type": "analyst"}, {"name": "KLINGNER"}, True),
        ({"name": "Lee", "type": "government"}, {"name": "Leeds University"}, True),
        ({"name": "Kim Jong Un"}, {"name": "Putin"}, False),
        ({"name": ""}, {"name": ""}, False),
        ({"name": None}, {"name": "x"}, False),
        (None, None, False),
        ({"name": "Radio Free Asia", "type": "outlet"}, {"name": "Yonhap", "type": "outlet"}, True),
        ({"name": "Radio Free Asia", "type": "outlet"}, {"name": "Radio Free Asia"}, False),
        ({"name": "Reuters", "type": "media"}, {"name": "Reuters", "type": "outlet"}, True),
    ],
)
def test_source_name_rule(
    gold: dict[str, Any] | None, system: dict[str, Any] | None, expected: bool
) -> None:
    assert source_name_matches(gold, system) is expected


def test_load_claims_reads_like_score_py(tmp_path: Path) -> None:
    path = tmp_path / "g.jsonl"
    lines = [
        "",
        '{"doc_id": 7, "claims": null}',
        "  ",
        '{"doc_id": "a", "claims": [{"kind": "x"}]}',
        '{"doc_id": "a", "claims": []}',
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert load_claims(path) == {"7": [], "a": []}


@pytest.mark.parametrize(
    ("content", "error", "message"),
    [
        (b'{"doc_id": "a", "claims": []}\n{"doc_id": \n', InputError, ":2: not JSON: "),
        (b'["a"]\n', InputError, ':1: not an object with a "doc_id"'),
        (b'{"claims": []}\n', InputError, ':1: not an object with a "doc_id"'),
        (b'{"doc_id": "a", "claims": {"k": 1}}\n', ValidationError, ':1: "claims" is dict'),
        (b'{"doc_id": "\xff"}\n', InputError, ": not UTF-8: "),
    ],
)
def test_load_claims_errors(
    tmp_path: Path, content: bytes, error: type[Exception], message: str
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(content)
    with pytest.raises(error) as info:
        load_claims(path)
    assert f"{path}{message}" in str(info.value)
    assert "\n" not in str(info.value)


def test_load_claims_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        load_claims(tmp_path / "absent.jsonl")


def test_claim_that_is_not_an_object() -> None:
    with pytest.raises(ValidationError, match="claim 0 is not an object"):
        score({"d": ["oops"]}, {})  # type: ignore[list-item]
