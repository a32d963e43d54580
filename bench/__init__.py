"""Page timings against a large practice (`make bench`); see bench/run.py. Not part of the tests."""
