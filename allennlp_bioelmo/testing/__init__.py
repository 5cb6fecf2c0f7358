"""Test helpers shipped with the package: random biLM files in the released formats."""
