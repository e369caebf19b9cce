"""Read a pack's YAML into plain data while remembering the line of every value.

Error messages name the line of the offending field, so the document is composed into nodes
(which carry their position) and converted by hand rather than loaded in one call.
"""

from __future__ import annotations

from typing import Any

import yaml

Path_ = tuple[str | int, ...]

try:
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # libyaml missing: the pure-Python loader gives the same result
    _Loader = yaml.SafeLoader


class YamlProblem(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def read_yaml(text: str) -> tuple[Any, dict[Path_, int]]:
    """Return (data, lines): the document as plain Python, and the 1-based line of each path."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        problem = exc.problem or exc.context or "not valid YAML"
        raise YamlProblem(line, f"YAML syntax error: {problem}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(0, f"YAML syntax error: {exc}") from None
    if node is None:
        raise YamlProblem(1, "the file is empty (expected a pack: a mapping with id, clauses, ...)")
    lines: dict[Path_, int] = {}
    constructor = yaml.constructor.SafeConstructor()
    return _convert(node, (), lines, constructor), lines


def _convert(
    node: yaml.Node,
    path: Path_,
    lines: dict[Path_, int],
    constructor: yaml.constructor.SafeConstructor,
) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = constructor.construct_object(key_node, deep=True)  # type: ignore[no-untyped-call]
            if not isinstance(key, str | int):
                raise YamlProblem(key_node.start_mark.line + 1, f"a key must be text, not {key!r}")
            key = str(key)
            if key in out:
                raise YamlProblem(
                    key_node.start_mark.line + 1,
                    f"duplicate key '{key}' (each key may appear once in a mapping)",
                )
            out[key] = _convert(value_node, (*path, key), lines, constructor)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*path, index), lines, constructor) for index, item in enumerate(node.value)]
    try:
        return constructor.construct_object(node, deep=True)  # type: ignore[no-untyped-call]
    except (yaml.constructor.ConstructorError, ValueError):
        # A value YAML cannot construct (2026-02-30 looks like a date but is not one) stays text,
        # so that validation reports it against its field with what was expected.
        return node.value
