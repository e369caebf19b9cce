"""aupguard: a school's staff Acceptable Use Policy as versioned rules, enforced where staff work."""

__version__ = "0.1.0"
