"""Speed benchmarks of the engine (bench/README.md); not part of the installed package.

Each is a module run as `python -m bench.NAME`; `python -m bench.email` measures the email path on a
generated school-email corpus against Microsoft Presidio's pattern recognizers (issue 3). Generated
data lives under bench/.cache/ only, never in the repository.
"""
