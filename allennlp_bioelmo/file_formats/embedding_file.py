"""
BioELMo vectors precomputed into an HDF5 file, in the layout of AllenNLP 0.9's `allennlp elmo`
command (so downstream code written for it reads ours):

* one dataset per sentence, named by the sentence's 0-based line number in the input, shaped
  `(layers, n_tokens, dim)` for `all` or `(n_tokens, dim)` for `top`/`average`;
* a dataset `sentence_to_index` of shape `(1,)` holding a JSON object that maps each sentence
  (its tokens joined by single spaces) to its dataset name;
* file attributes `bioelmo_layers` (`all`, `top` or `average`) and `bioelmo_dim` (ours).

`EmbeddingFileWriter` makes writing resumable: finished batches go to part files in
`<output>.parts/`, each written to a temporary name and renamed, so a part is whole or absent
after any interruption (Ctrl-C or kill -9); a rerun skips sentences already in parts, and the
final merge writes `<output>` the same way. Every writer (one per worker of a distributed run)
numbers its own parts, `part-r<rank>-<number>.hdf5`, so workers sharing the folder never collide.
"""

import glob
import json
import os
from typing import Callable, Dict, Iterable, Optional, Set

import h5py
import numpy

SENTENCE_TO_INDEX = "sentence_to_index"
LAYER_OUTPUTS = ("all", "top", "average")


class EmbeddingFileWriter:
    """Writes an embedding file through atomic part files and a final atomic merge (see above)."""

    def __init__(self, output_file: str, rank: int = 0) -> None:
        self.output_file = output_file
        self.parts_dir = output_file + ".parts"
        self.rank = rank

    def _parts(self, pattern: str = "part-*.hdf5"):
        return sorted(glob.glob(os.path.join(self.parts_dir, pattern)))

    def finished_keys(self) -> Set[str]:
        """Keys of the sentences already written by an earlier (interrupted) run."""
        keys: Set[str] = set()
        for part in self._parts():
            with h5py.File(part, "r") as handle:
                keys.update(handle.keys())
        return keys

    def write_part(self, arrays: Dict[str, numpy.ndarray]) -> None:
        """Write `arrays` (dataset name -> vectors) as this writer's next part file, atomically."""
        os.makedirs(self.parts_dir, exist_ok=True)
        prefix = f"part-r{self.rank:05d}-"
        own = self._parts(prefix + "*.hdf5")
        number = int(os.path.basename(own[-1])[len(prefix) : -5]) + 1 if own else 0
        final = os.path.join(self.parts_dir, f"{prefix}{number:06d}.hdf5")
        temporary = final + ".partial"
        with h5py.File(temporary, "w") as handle:
            for key, array in arrays.items():
                handle.create_dataset(key, data=array)
        os.replace(temporary, final)

    def merge(self, sentence_to_index: Dict[str, str], attributes: Dict[str, object]) -> None:
        """Write the output file from all workers' parts (atomically), then remove the parts."""
        temporary = self.output_file + ".partial"
        with h5py.File(temporary, "w") as output:
            for part in self._parts():
                with h5py.File(part, "r") as handle:
                    for key in handle:
                        handle.copy(handle[key], output, name=key)
            index = output.create_dataset(
                SENTENCE_TO_INDEX, (1,), dtype=h5py.special_dtype(vlen=str)
            )
            index[0] = json.dumps(sentence_to_index)
            for name, value in attributes.items():
                output.attrs[name] = value
        os.replace(temporary, self.output_file)
        for part in self._parts():
            os.remove(part)
        os.rmdir(self.parts_dir)


class EmbeddingFile:
    """Read access to an embedding file: vectors by token sequence."""

    def __init__(
        self, path: str, writable: bool = False, normalize_token: Callable[[str], str] = str
    ) -> None:
        """
        `normalize_token` maps tokens to the form lookups use (the `bioelmo_cached` embedder
        recovers tokens from character ids, which keep only a token's first 48 bytes).
        """
        from allennlp.common.checks import ConfigurationError

        if not os.path.exists(path):
            raise ConfigurationError(f"BioELMo embedding file not found: {path}")
        try:
            self._handle = h5py.File(path, "a" if writable else "r")
        except OSError as error:
            raise ConfigurationError(f"BioELMo embedding file {path} is not an HDF5 file: {error}")
        if SENTENCE_TO_INDEX not in self._handle:
            raise ConfigurationError(
                f"BioELMo embedding file {path} has no '{SENTENCE_TO_INDEX}' dataset (write it "
                "with `allennlp bioelmo-embed`)"
            )
        self.path = path
        self.layers = self._handle.attrs.get("bioelmo_layers", "all")
        self._index: Dict[str, str] = json.loads(self._handle[SENTENCE_TO_INDEX][0])
        self._normalize_token = normalize_token
        self._lookup = {
            self._normalize(sentence.split(" ")): key for sentence, key in self._index.items()
        }

    def _normalize(self, tokens: Iterable[str]) -> str:
        return " ".join(self._normalize_token(token) for token in tokens)

    def __len__(self) -> int:
        return len(self._index)

    def key_of(self, tokens: Iterable[str]) -> Optional[str]:
        """The dataset holding these tokens' vectors, or None."""
        return self._lookup.get(self._normalize(tokens))

    def read(self, key: str) -> numpy.ndarray:
        """The vectors stored under dataset `key`."""
        return self._handle[key][...]

    def get(self, tokens: Iterable[str]) -> Optional[numpy.ndarray]:
        """The vectors of a sentence given as tokens, or None if the file does not have it."""
        key = self.key_of(tokens)
        return None if key is None else self.read(key)

    def add(self, sentence: str, vectors: numpy.ndarray) -> None:
        """Add a sentence's vectors (file opened writable); `flush` saves the index."""
        key = f"added-{len(self._index)}"
        while key in self._handle:
            key += "+"
        self._handle.create_dataset(key, data=vectors)
        self._index[sentence] = key
        self._lookup[self._normalize(sentence.split(" "))] = key

    def flush(self) -> None:
        """
        Rewrite `sentence_to_index` with the sentences added since opening, and flush the file.
        """
        del self._handle[SENTENCE_TO_INDEX]
        index = self._handle.create_dataset(
            SENTENCE_TO_INDEX, (1,), dtype=h5py.special_dtype(vlen=str)
        )
        index[0] = json.dumps(self._index)
        self._handle.flush()
