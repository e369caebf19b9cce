# Types of the compiled module squid_columns.pyx (Cython).
def squid_columns(
    lines: list[str],
) -> tuple[list[float], list[str], list[str], list[str], list[int], int] | None: ...
