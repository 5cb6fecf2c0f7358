"""
The short forms a collection defines with two or more long forms (Schwartz-Hearst definitions,
`abbreviations`), each long form with the occurrences it labels (a definition labels its
document's occurrences of the short form: `term_occurrences.abbreviation_labels`). Candidates
for `bioelmo-senses`:

    python -m allennlp_bioelmo.analysis.ambiguous_short_forms sentences.txt --min-occurrences 5

Spelling variants count as different long forms here ("tumor necrosis factor" and "tumour
necrosis factor"); pass `bioelmo-senses --label-map` to merge them.
"""

import argparse
from collections import Counter, defaultdict
from typing import Dict, List, Optional, Tuple

from allennlp_bioelmo.analysis.abbreviations import short_form_key
from allennlp_bioelmo.analysis.term_occurrences import (
    abbreviation_labels,
    document_definitions,
    find_occurrences,
    read_collection,
)


def ambiguous_short_forms(
    path: str, input_format: Optional[str] = None, min_occurrences: int = 10
) -> List[Tuple[str, Counter]]:
    """
    The short forms of a collection defined with two or more long forms that each label at least
    `min_occurrences` occurrences of it (a definition labels its document's occurrences of the
    short form, see `term_occurrences.abbreviation_labels`), most labelled occurrences first.
    """
    collection = read_collection(path, input_format)
    labelled: Dict[str, Counter] = defaultdict(Counter)
    for document in range(len(collection.documents)):
        short_forms = {short for _, short, _ in document_definitions(collection, document)}
        if not short_forms:
            continue
        occurrences = find_occurrences(collection, sorted(short_forms), [document])
        for occurrence, label in zip(occurrences, abbreviation_labels(collection, occurrences)):
            if label is not None:
                labelled[short_form_key(occurrence.term)][label] += 1
    chosen = [
        (short_form, counts)
        for short_form, counts in labelled.items()
        if sum(1 for count in counts.values() if count >= min_occurrences) >= 2
    ]
    return sorted(chosen, key=lambda item: (-sum(item[1].values()), item[0]))


def main() -> None:
    parser = argparse.ArgumentParser(
        description="List the short forms a collection defines with two or more long forms "
        "(Schwartz & Hearst), with the occurrences each long form labels."
    )
    parser.add_argument("input_file")
    parser.add_argument("--input-format", help="as bioelmo-senses' --input-format")
    parser.add_argument(
        "--min-occurrences",
        type=int,
        default=10,
        help="labelled occurrences each of at least two long forms needs (default 10)",
    )
    args = parser.parse_args()
    for short_form, counts in ambiguous_short_forms(
        args.input_file, args.input_format, args.min_occurrences
    ):
        senses = ", ".join(f"{label} {count}" for label, count in counts.most_common())
        print(f"{short_form}\t{sum(counts.values())} labelled: {senses}")


if __name__ == "__main__":
    main()
