"""The test suite; it runs from a checkout, so fixture paths are relative to this folder."""

import os

REPOSITORY_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(REPOSITORY_ROOT, "fixtures")
