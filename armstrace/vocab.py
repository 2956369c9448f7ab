"""The closed vocabularies of SPEC §1–§5, in one place.

Every module that writes or checks a claim field imports its allowed values from here, so a
vocabulary change is a one-line edit that the model validation, the lexicon loader and the
scorer all see at once.
"""

from __future__ import annotations

import re
from typing import Final

KINDS: Final = ("transfer", "development", "agreement")

CATEGORIES: Final = (
    "aircraft",
    "helicopters",
    "uav",
    "loitering_munitions",
    "ballistic_missiles",
    "cruise_missiles",
    "guided_missiles",
    "air_defence",
    "artillery",
    "ammunition",
    "armoured_vehicles",
    "ships",
    "small_arms",
    "sensors",
    "components",
    "technology",
    "personnel",
    "nuclear_weapons",
    "chemical_biological",
    "satellites",
    "weapons_unspecified",
)

STAGES: Final[dict[str, tuple[str, ...]]] = {
    "transfer": ("requested", "offered", "approved", "agreed", "delivered", "unspecified"),
    "development": ("research", "development", "test", "production", "deployment"),
    "agreement": ("proposed", "negotiating", "signed", "ratified", "in_force", "suspended"),
}

CERTAINTY: Final = ("certain", "probable", "possible")
POLARITY: Final = ("affirmed", "negated")
TIMING: Final = ("past", "ongoing", "future", "unspecified")
SOURCE_TYPES: Final = (
    "state_media",
    "government",
    "intelligence",
    "analyst",
    "media",
    "outlet",
    "anonymous",
    "other",
)
QUALIFIERS: Final = ("exact", "approx", "at_least", "at_most")

#: SPEC §2 multilateral bodies named in the spec; the actor lexicon may add more.
BODIES: Final = frozenset({"NATO", "EU", "UN", "CSTO", "AU"})

#: the shapes an actor id may take (SPEC §2): ISO alpha-3 or a body (uppercase), a slug, unknown
ACTOR_UPPER_RE: Final = re.compile(r"^[A-Z]{2,6}$")
ACTOR_SLUG_RE: Final = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

#: ordering used when several claims compete: the stronger certainty wins
CERTAINTY_RANK: Final = {"possible": 0, "probable": 1, "certain": 2}
