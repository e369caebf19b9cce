"""The compiled parts of aupguard: the hot loops of the web guard and the log scan, in C via Cython.

Everything else is in pyproject.toml. Each extension is optional: where it cannot be built (no C
compiler), aupguard runs the same code paths in Python, only slower; `make test` checks both agree.
"""

from Cython.Build import cythonize
from setuptools import Extension, setup

MODULES = [
    "aupguard.engine.detectors._automaton",
    "aupguard.engine.web.host_table",
    "aupguard.engine.web.url_hosts",
    "aupguard.engine.web.unlisted_hosts",
    "aupguard.engine.logs.squid_columns",
    "aupguard.engine.logs.tally",
]
EXTENSIONS = [Extension(name, [name.replace(".", "/") + ".pyx"], optional=True) for name in MODULES]

setup(ext_modules=cythonize(EXTENSIONS, language_level=3, quiet=True))
