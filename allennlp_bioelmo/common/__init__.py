"""Helpers shared across the package: config variables, atomic writes, CPU features, CPU streams."""
