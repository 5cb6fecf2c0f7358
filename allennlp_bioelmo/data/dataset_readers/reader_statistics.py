"""
What a document reader made of a file: how many documents, sentences and tokens it produced, and
for every mention and relation the file holds whether it became part of an instance or was
dropped, and why. `allennlp bioelmo-stats` prints it; readers fill it while they read.

Read counts are what the file holds, before any policy of the reader. For every mention type,
placed plus dropped equals read.

`to_dict()`, what `allennlp bioelmo-stats` prints:

```
{"documents": 500, "sentences": 4562, "tokens": 118093,
 "mentions": {"read": {"Chemical": 5207, ...}, "placed": {"Chemical": 5203, ...},
              "dropped": {"Chemical": {"count": 4, "reasons": {"overlaps ...": 4}}, ...},
              "discontinuous": {"policy": "covering", "count": {"Disease": 71, ...}}},
 "relations": {"read": {...}, "instances": {...}, "unreachable": {label: {count, reasons}}}}
```

`mentions.discontinuous` (mentions with several spans, by type, and the policy that handled
them) appears only when a file has such mentions, `relations` only for relation readers.
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, Optional


@dataclass
class ReaderStatistics:
    """
    Counts of one pass of a reader over its input (readers reset theirs at the start of `_read`).

    `mentions_dropped` and `relations_unreachable` are keyed by type (or label), then by the
    reason, in words a user reads ("overlaps a longer mention", "its concepts never share a
    sentence").
    """

    documents: int = 0
    sentences: int = 0
    tokens: int = 0
    mentions_read: Counter = field(default_factory=Counter)
    mentions_placed: Counter = field(default_factory=Counter)
    mentions_dropped: Dict[str, Counter] = field(default_factory=dict)
    relations_read: Counter = field(default_factory=Counter)
    relation_instances: Counter = field(default_factory=Counter)
    relations_unreachable: Dict[str, Counter] = field(default_factory=dict)
    # mentions with several spans (by type), and the `discontinuous` policy applied to them
    mentions_discontinuous: Counter = field(default_factory=Counter)
    discontinuous_policy: Optional[str] = None

    def read_mentions(self, mention_types: Iterable[str]) -> None:
        """Count mentions as read (one type per mention)."""
        self.mentions_read.update(mention_types)

    def place_mention(self, mention_type: str, count: int = 1) -> None:
        self.mentions_placed[mention_type] += count

    def drop_mention(self, mention_type: str, reason: str, count: int = 1) -> None:
        self.mentions_dropped.setdefault(mention_type, Counter())[reason] += count

    def discontinuous_mention(self, mention_type: str, policy: str, count: int = 1) -> None:
        """Count a mention with several spans handled by `policy`."""
        self.mentions_discontinuous[mention_type] += count
        self.discontinuous_policy = policy

    def unreachable_relation(self, label: str, reason: str, count: int = 1) -> None:
        self.relations_unreachable.setdefault(label, Counter())[reason] += count

    @property
    def has_relations(self) -> bool:
        return bool(self.relations_read or self.relation_instances)

    def unbalanced_mention_types(self) -> Dict[str, Dict[str, int]]:
        """Mention types whose placed plus dropped differs from read (a reader bug if any)."""
        result = {}
        for mention_type in set(self.mentions_read) | set(self.mentions_placed):
            dropped = sum(self.mentions_dropped.get(mention_type, Counter()).values())
            read = self.mentions_read[mention_type]
            placed = self.mentions_placed[mention_type]
            if placed + dropped != read:
                result[mention_type] = {"read": read, "placed": placed, "dropped": dropped}
        return result

    def to_dict(self) -> Dict[str, Any]:
        """The JSON object `allennlp bioelmo-stats` prints."""
        result: Dict[str, Any] = {
            "documents": self.documents,
            "sentences": self.sentences,
            "tokens": self.tokens,
            "mentions": {
                "read": dict(sorted(self.mentions_read.items())),
                "placed": dict(sorted(self.mentions_placed.items())),
                "dropped": {
                    mention_type: {
                        "count": sum(reasons.values()),
                        "reasons": dict(sorted(reasons.items())),
                    }
                    for mention_type, reasons in sorted(self.mentions_dropped.items())
                },
            },
        }
        if self.mentions_discontinuous:
            result["mentions"]["discontinuous"] = {
                "policy": self.discontinuous_policy,
                "count": dict(sorted(self.mentions_discontinuous.items())),
            }
        if self.has_relations:
            result["relations"] = {
                "read": dict(sorted(self.relations_read.items())),
                "instances": dict(sorted(self.relation_instances.items())),
                "unreachable": {
                    label: {
                        "count": sum(reasons.values()),
                        "reasons": dict(sorted(reasons.items())),
                    }
                    for label, reasons in sorted(self.relations_unreachable.items())
                },
            }
        return result
