"""Tests of the biLM language model: its softmax, training and resume."""
