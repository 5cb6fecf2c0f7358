"""
Fixes for AllenNLP 2.10.1 running on torch 2.x, numpy 2.x and Python 3.11: each patch is small,
names what it fixes, and has a test in `tests/test_compat.py`.
"""
