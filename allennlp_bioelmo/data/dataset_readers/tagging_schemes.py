"""
Entity tag schemes: validation and conversion between IOB1, BIO (IOB2), IOBES and BIOUL.

Everything converts through BIO: IOB1 -> BIO turns an `I-X` that does not continue an `X` entity
into `B-X` (a no-op on valid BIO), IOBES/BIOUL -> BIO maps `S`/`U` to `B` and `E`/`L` to `I`.
"""

from typing import Dict, List, Optional, Sequence

from allennlp.data.dataset_readers.dataset_utils.span_utils import to_bioul

INPUT_SCHEMES = ("auto", "IOB1", "BIO", "IOBES", "BIOUL")
OUTPUT_SCHEMES = ("BIO", "BIOUL")
_PREFIXES = {
    "IOB1": {"B", "I"},
    "BIO": {"B", "I"},
    "IOBES": {"B", "I", "E", "S"},
    "BIOUL": {"B", "I", "L", "U"},
    "auto": {"B", "I", "E", "S", "L", "U"},
}
_TO_BIO_PREFIX = {"B": "B", "I": "I", "E": "I", "L": "I", "S": "B", "U": "B"}


class TagSchemeError(ValueError):
    """
    A tag that does not fit its scheme (e.g. `I-X` after `O` in strict IOB2); `position` is the
    tag's 0-based index in its sentence when known.
    """

    def __init__(self, message: str, position: Optional[int] = None) -> None:
        super().__init__(message)
        self.position = position


def expected_tags(scheme: str) -> str:
    """What a tag of `scheme` looks like, for error messages: `'O' or B-TYPE, I-TYPE`."""
    prefixes = [p for p in "BIESLU" if p in _PREFIXES[scheme]]
    return f"'O' or {', '.join(f'{p}-TYPE' for p in prefixes)}"


def split_tag(tag: str) -> (str, Optional[str]):
    """`"B-Disease"` -> `("B", "Disease")`; `"O"` -> `("O", None)`."""
    if tag == "O":
        return "O", None
    if len(tag) == 2 and tag[1] == "-":
        raise TagSchemeError(f"tag {tag!r} has an empty entity type")
    if len(tag) < 3 or tag[1] != "-":
        raise TagSchemeError(f"tag {tag!r} is neither 'O' nor PREFIX-TYPE")
    if tag[0] == "O":
        raise TagSchemeError(
            f"tag {tag!r} is neither 'O' nor PREFIX-TYPE: 'O' takes no entity type"
        )
    return tag[0], tag[2:]


def to_bio(tags: Sequence[str], scheme: str) -> List[str]:
    """Validate `tags` against `scheme` and return them in BIO."""
    allowed = _PREFIXES[scheme]
    bio: List[str] = []
    previous_type: Optional[str] = None
    for position, tag in enumerate(tags):
        try:
            prefix, entity_type = split_tag(tag)
        except TagSchemeError as error:
            raise TagSchemeError(
                f"{error} (expected {expected_tags(scheme)}), at position {position + 1}",
                position,
            )
        if prefix == "O":
            bio.append("O")
            previous_type = None
            continue
        if prefix not in allowed:
            raise TagSchemeError(
                f"tag {tag!r} is not in the {scheme} scheme (expected {expected_tags(scheme)}), "
                f"at position {position + 1}",
                position,
            )
        bio_prefix = _TO_BIO_PREFIX[prefix]
        if bio_prefix == "I" and previous_type != entity_type:
            if scheme in ("BIO", "IOBES", "BIOUL"):
                raise TagSchemeError(
                    f"tag {tag!r} at position {position + 1} does not continue an entity "
                    f"(invalid in {scheme})",
                    position,
                )
            bio_prefix = "B"  # IOB1 (or undeclared): an I- that starts an entity
        bio.append(f"{bio_prefix}-{entity_type}")
        # an entity ends after S/U/E/L, so a following I- cannot continue it
        previous_type = None if prefix in ("S", "U", "E", "L") else entity_type
    return bio


def filter_and_rename(
    bio_tags: List[str], keep: Optional[Sequence[str]], rename: Optional[Dict[str, str]]
) -> List[str]:
    """Drop entity types not in `keep` (tags become O), then rename types."""
    result = []
    for tag in bio_tags:
        prefix, entity_type = split_tag(tag)
        if entity_type is None or (keep is not None and entity_type not in keep):
            result.append("O")
        else:
            result.append(f"{prefix}-{(rename or {}).get(entity_type, entity_type)}")
    return result


def from_bio(bio_tags: List[str], scheme: str) -> List[str]:
    """BIO tags in the output `scheme` (`BIO` unchanged, or `BIOUL`)."""
    return to_bioul(bio_tags, encoding="BIO") if scheme == "BIOUL" else list(bio_tags)
