"""
The `options` JSON that describes a bilm-tf / BioELMo language model, parsed and validated.

The released BioELMo `options` file is the bilm-tf *training* options file, so besides the keys
that describe the network it carries training keys (`batch_size`, `n_epochs`, ...). Those are
accepted and ignored; a key that neither bilm-tf nor AllenNLP knows is an error, because it usually
means a typo (`proj_clip` spelled `projection_clip`) that would otherwise be silently ignored.
"""

import json
import logging
from dataclasses import dataclass
from typing import Any, Dict, Tuple

from allennlp.common.checks import ConfigurationError

logger = logging.getLogger(__name__)

# Character ids: 256 byte values, five special ids (begin/end of sentence, begin/end of word,
# padding) and, at inference, id 0 for a padded token. bilm-tf trains with 261 and evaluates with
# 262.
TRAINING_N_CHARACTERS = 261
INFERENCE_N_CHARACTERS = 262

_TOP_LEVEL_KEYS = {"lstm", "char_cnn"}
_TRAINING_KEYS = {
    "bidirectional",
    "dropout",
    "all_clip_norm_val",
    "n_epochs",
    "n_train_tokens",
    "batch_size",
    "n_tokens_vocab",
    "unroll_steps",
    "n_negative_samples_batch",
    "sample_softmax",
    "share_embedding_softmax",
}
_LSTM_REQUIRED = {"dim", "projection_dim", "n_layers"}
_LSTM_OPTIONAL = {"cell_clip", "proj_clip", "use_skip_connections"}
_CNN_REQUIRED = {"filters", "n_highway", "embedding", "n_characters", "max_characters_per_token"}
_CNN_OPTIONAL = {"activation"}


@dataclass(frozen=True)
class BiLmOptions:
    """
    The network shape of a bilm-tf biLM, read from its `options` JSON.

    Use `BiLmOptions.from_file(path)`; every error names the file and the offending key.
    """

    lstm_dim: int
    projection_dim: int
    n_layers: int
    cell_clip: float
    proj_clip: float
    use_skip_connections: bool
    filters: Tuple[Tuple[int, int], ...]
    n_highway: int
    char_embedding_dim: int
    n_characters: int
    max_characters_per_token: int
    activation: str
    n_tokens_vocab: int = 0
    source: str = "<dict>"

    @property
    def n_filters(self) -> int:
        return sum(num for _, num in self.filters)

    @property
    def output_dim(self) -> int:
        """Width of every layer the biLM outputs (forward and backward concatenated)."""
        return 2 * self.projection_dim

    @property
    def num_output_layers(self) -> int:
        """The context-insensitive token layer plus one per LSTM layer."""
        return self.n_layers + 1

    def parameter_count(self) -> int:
        """Parameters of the biLM (no softmax), as the loaded PyTorch module has them."""
        count = self.n_characters * self.char_embedding_dim
        count += sum(width * self.char_embedding_dim * num + num for width, num in self.filters)
        count += self.n_highway * 2 * (self.n_filters * self.n_filters + self.n_filters)
        if self.n_filters != self.projection_dim:
            count += self.n_filters * self.projection_dim + self.projection_dim
        per_direction_layer = (
            (self.projection_dim + self.projection_dim) * 4 * self.lstm_dim
            + 4 * self.lstm_dim
            + self.lstm_dim * self.projection_dim
        )
        count += 2 * self.n_layers * per_direction_layer
        return count

    def flops_per_token(self) -> int:
        """
        Multiply-adds x 2 that one token costs in the char CNN, highways, projection and biLSTM.
        """
        positions = self.max_characters_per_token
        cnn = sum(
            2 * (positions - width + 1) * width * self.char_embedding_dim * num
            for width, num in self.filters
        )
        highway = self.n_highway * 2 * 2 * self.n_filters * self.n_filters
        projection = 2 * self.n_filters * self.projection_dim
        lstm = (
            2
            * self.n_layers
            * 2
            * (
                (self.projection_dim + self.projection_dim) * 4 * self.lstm_dim
                + self.lstm_dim * self.projection_dim
            )
        )
        return cnn + highway + projection + lstm

    def to_dict(self) -> Dict[str, Any]:
        """The options in bilm-tf's JSON layout (inference form, `n_characters` 262)."""
        return {
            "lstm": {
                "dim": self.lstm_dim,
                "projection_dim": self.projection_dim,
                "n_layers": self.n_layers,
                "cell_clip": self.cell_clip,
                "proj_clip": self.proj_clip,
                "use_skip_connections": self.use_skip_connections,
            },
            "char_cnn": {
                "filters": [list(f) for f in self.filters],
                "n_highway": self.n_highway,
                "embedding": {"dim": self.char_embedding_dim},
                "n_characters": self.n_characters,
                "max_characters_per_token": self.max_characters_per_token,
                "activation": self.activation,
            },
        }

    @classmethod
    def from_file(cls, options_file: str) -> "BiLmOptions":
        """Read and validate an options JSON file; errors name the file."""
        try:
            with open(options_file, "r", encoding="utf-8") as handle:
                raw = json.load(handle)
        except FileNotFoundError:
            raise ConfigurationError(f"BioELMo options file not found: {options_file}")
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise ConfigurationError(
                f"BioELMo options file {options_file} is not valid UTF-8 JSON: {error}"
            )
        return cls.from_dict(raw, source=options_file)

    @classmethod
    def from_dict(cls, raw: Dict[str, Any], source: str = "<dict>") -> "BiLmOptions":
        """Validate parsed options; errors name `source` and the offending key."""

        def fail(message: str) -> ConfigurationError:
            return ConfigurationError(f"BioELMo options {source}: {message}")

        if not isinstance(raw, dict):
            raise fail(f"expected a JSON object, found {type(raw).__name__}")
        unknown = set(raw) - _TOP_LEVEL_KEYS - _TRAINING_KEYS
        if unknown:
            raise fail(
                f"unknown key(s) {sorted(unknown)}; expected 'lstm', 'char_cnn' "
                f"and optionally bilm-tf training keys {sorted(_TRAINING_KEYS)}"
            )
        for section in ("lstm", "char_cnn"):
            if not isinstance(raw.get(section), dict):
                raise fail(f"missing section '{section}'")
        lstm, cnn = raw["lstm"], raw["char_cnn"]
        _check_keys(lstm, _LSTM_REQUIRED, _LSTM_OPTIONAL, "lstm", fail)
        _check_keys(cnn, _CNN_REQUIRED, _CNN_OPTIONAL, "char_cnn", fail)
        if not isinstance(cnn["embedding"], dict) or "dim" not in cnn["embedding"]:
            raise fail("missing key 'char_cnn.embedding.dim'")

        filters = cnn["filters"]
        if (
            not isinstance(filters, list)
            or not filters
            or not all(isinstance(f, (list, tuple)) and len(f) == 2 for f in filters)
        ):
            raise fail(
                f"'char_cnn.filters' must be a list of [width, number] pairs, found {filters!r}"
            )
        activation = cnn.get("activation", "relu")
        if activation not in ("relu", "tanh"):
            raise fail(f"'char_cnn.activation' must be 'relu' or 'tanh', found {activation!r}")

        n_characters = int(cnn["n_characters"])
        if n_characters == TRAINING_N_CHARACTERS:
            logger.info(
                "BioELMo options %s: n_characters is 261 (bilm-tf training value); "
                "using 262 at inference (one extra id for padded tokens).",
                source,
            )
            n_characters = INFERENCE_N_CHARACTERS
        elif n_characters != INFERENCE_N_CHARACTERS:
            raise fail(f"'char_cnn.n_characters' must be 261 or 262, found {n_characters}")

        n_layers = int(lstm["n_layers"])
        use_skip = lstm.get("use_skip_connections")
        if use_skip is None:
            if n_layers > 1:
                raise fail(
                    "'lstm.use_skip_connections' is missing; a multi-layer biLM must say whether "
                    "its layers have residual connections (BioELMo and ELMo: true)"
                )
            use_skip = False
        max_chars = int(cnn["max_characters_per_token"])
        if max_chars < 3:
            raise fail(f"'char_cnn.max_characters_per_token' must be at least 3, found {max_chars}")
        if max(width for width, _ in filters) > max_chars:
            raise fail("a char CNN filter is wider than 'max_characters_per_token'")
        return cls(
            lstm_dim=int(lstm["dim"]),
            projection_dim=int(lstm["projection_dim"]),
            n_layers=n_layers,
            cell_clip=float(lstm.get("cell_clip") or 0.0),
            proj_clip=float(lstm.get("proj_clip") or 0.0),
            use_skip_connections=bool(use_skip),
            filters=tuple((int(w), int(n)) for w, n in filters),
            n_highway=int(cnn["n_highway"]),
            char_embedding_dim=int(cnn["embedding"]["dim"]),
            n_characters=n_characters,
            max_characters_per_token=max_chars,
            activation=activation,
            n_tokens_vocab=int(raw.get("n_tokens_vocab", 0)),
            source=source,
        )


def _check_keys(section: Dict[str, Any], required, optional, name: str, fail) -> None:
    missing = required - set(section)
    if missing:
        raise fail(f"missing key(s) {sorted(f'{name}.{k}' for k in missing)}")
    unknown = set(section) - required - optional
    if unknown:
        raise fail(
            f"unknown key(s) {sorted(f'{name}.{k}' for k in unknown)}; "
            f"expected {sorted(required | optional)}"
        )
