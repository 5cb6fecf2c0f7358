"""Training support for the task models: their metrics and helpers for `allennlp train`."""
