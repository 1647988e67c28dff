"""Match organisation names as people write them to one organisation.

"Huddinge kommun", "HUDDINGE  KOMMUN" and "Huddinge Kommun" are one organisation; so are "AF"
and "Arbetsförmedlingen". Exact matching after normalisation (case, whitespace, punctuation,
common abbreviations) merges them; fuzzy similarity only *suggests* likely duplicates, because
"Region Örebro" and "Region Örebro län" may or may not be the same body: the user decides by
adding an alias.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

__all__ = ["normalise_name", "NameIndex", "likely_duplicates", "ABBREVIATIONS", "name_slug", "unique_slugs"]

# Common Swedish abbreviations in collaboration documents, expanded before comparison.
ABBREVIATIONS: dict[str, str] = {
    "af": "arbetsförmedlingen",
    "fk": "försäkringskassan",
    "lst": "länsstyrelsen",
    "skl": "sveriges kommuner och landsting",
    "skr": "sveriges kommuner och regioner",
    "ksl": "kommunförbundet stockholms län",
    "esf": "esf rådet",
    "esf-rådet": "esf rådet",
}

_PUNCT = re.compile(r"[\s\-–—_.,:;/\\()\"'´`]+")


def normalise_name(name: str) -> str:
    """A comparison key: NFC, case-folded, punctuation and whitespace collapsed, abbreviations expanded.

    >>> normalise_name("  Huddinge   Kommun ") == normalise_name("huddinge kommun")
    True
    >>> normalise_name("AF") == normalise_name("Arbetsförmedlingen")
    True
    """
    text = unicodedata.normalize("NFC", str(name)).casefold()
    text = _PUNCT.sub(" ", text).strip()
    if text in ABBREVIATIONS:
        return ABBREVIATIONS[text]
    words = [ABBREVIATIONS.get(w, w) if len(w) <= 3 else w for w in text.split(" ")]
    return " ".join(words)


@dataclass
class NameIndex:
    """Normalised names and aliases of organisations → their ids."""

    by_key: dict[str, str] = field(default_factory=dict)
    ambiguous: set[str] = field(default_factory=set)

    @classmethod
    def from_organisations(cls, frame) -> NameIndex:
        index = cls()
        aliases = frame["aliases"] if "aliases" in frame.columns else [""] * len(frame)
        for org_id, name, alias_cell in zip(frame["id"], frame["name"], aliases):
            for spelling in [name, *str(alias_cell or "").split("|")]:
                if spelling and spelling.strip():
                    index.add(spelling, org_id)
        return index

    def add(self, spelling: str, org_id: str) -> None:
        key = normalise_name(spelling)
        if not key:
            return
        existing = self.by_key.get(key)
        if existing is not None and existing != org_id:
            self.ambiguous.add(key)
        else:
            self.by_key[key] = org_id

    def resolve(self, spelling: str) -> str | None:
        """The id of the organisation this spelling names, or None (unknown or ambiguous)."""
        key = normalise_name(spelling)
        if key in self.ambiguous:
            return None
        return self.by_key.get(key)


def likely_duplicates(names: dict[str, str], *, threshold: float = 92.0, limit: int = 200) -> list[tuple[str, str, float]]:
    """Pairs of organisations whose names are very similar but not equal after normalisation.

    Parameters
    ----------
    names : dict
        Organisation id → name.
    threshold : float
        Minimum rapidfuzz ``token_sort_ratio`` (0–100) to report a pair.

    Returns
    -------
    list of (id_a, id_b, score), best first, at most ``limit`` pairs.
    """
    from rapidfuzz import fuzz, process

    ids = sorted(names)
    keys = [normalise_name(names[i]) for i in ids]
    pairs: list[tuple[str, str, float]] = []
    if len(ids) < 2:
        return pairs
    # blocking on the first letter keeps this near-linear on large tables
    blocks: dict[str, list[int]] = {}
    for position, key in enumerate(keys):
        blocks.setdefault(key[:1], []).append(position)
    for members in blocks.values():
        if len(members) < 2:
            continue
        block_keys = [keys[m] for m in members]
        matrix = process.cdist(block_keys, block_keys, scorer=fuzz.token_sort_ratio, score_cutoff=threshold, workers=1)
        rows, cols = matrix.nonzero()
        for r, c in zip(rows, cols):
            if r < c and block_keys[r] != block_keys[c]:
                pairs.append((ids[members[r]], ids[members[c]], float(matrix[r, c])))
    pairs.sort(key=lambda p: (-p[2], p[0], p[1]))
    return pairs[:limit]


_NON_WORD = re.compile(r"[^\w]+")


def name_slug(name: str) -> str:
    """A readable, stable id made from a name: its normalised form with words joined by ``-``.

    Letters such as å, ä and ö are kept (they are what Swedish users read); everything that is
    not a letter or digit becomes a single dash. Spellings that :func:`normalise_name` treats as
    one organisation get the same slug.

    >>> name_slug("HUDDINGE  Kommun"), name_slug("AF"), name_slug("Region Örebro län")
    ('huddinge-kommun', 'arbetsförmedlingen', 'region-örebro-län')
    """
    return _key_slug(normalise_name(name))


def _key_slug(key: str) -> str:
    slug = _NON_WORD.sub("-", key.replace("_", " ")).strip("-")
    return slug or "org"


def unique_slugs(keys) -> dict[str, str]:
    """Keys made by :func:`normalise_name` → unique slugs; clashing slugs get ``-2``, ``-3`` ... in sorted key order.

    >>> unique_slugs(["a & b", "a b", "c"])
    {'a & b': 'a-b', 'a b': 'a-b-2', 'c': 'c'}
    """
    out: dict[str, str] = {}
    used: set[str] = set()
    for key in sorted(set(keys)):
        base = _key_slug(key)
        slug, n = base, 1
        while slug in used:
            n += 1
            slug = f"{base}-{n}"
        used.add(slug)
        out[key] = slug
    return out
