# Types of the compiled module url_hosts.pyx (Cython).
from typing import Any

def plain_hosts(urls: list[str]) -> list[str | None]: ...
def remembered(
    urls: list[str], rids: list[int | None], requests: dict[Any, Any], by_host: dict[Any, Any]
) -> tuple[list[Any], list[str | None]]: ...
