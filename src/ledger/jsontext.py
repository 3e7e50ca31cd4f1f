"""JSON files edited as text: add or remove one member or item and keep every other byte.

`ledger setup` adds its entries to files that people and other tools keep (`.claude/settings.json`,
`.mcp.json`). Loading and dumping them would re-indent the whole file and reorder nothing but
still change bytes; instead the text is scanned once into nodes that know their spans
(`parse`), and each change is a splice of the text around one node:

* an addition goes after the last member or item of its container, in the container's own
  layout (one line, or one member per line with the indentation its siblings use);
* a removal takes out exactly what an addition at that place puts in (the separator before a
  last member, or after any other), so adding then removing gives back the same bytes.

Only valid JSON is edited (`json.loads` judges it first); anything else is refused.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from .errors import EditRefused

_SPACE = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null")


@dataclass
class Node:
    """A JSON value and where it is in the text: `text[start:end]`."""

    start: int
    end: int
    value: Any
    keys: list[str] = field(default_factory=list)  # an object's member keys, in order
    key_starts: list[int] = field(default_factory=list)  # where each member's key begins
    children: list[Node] = field(default_factory=list)  # member values or array items

    @property
    def is_object(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_array(self) -> bool:
        return isinstance(self.value, list)

    def member(self, key: str) -> Node | None:
        """The value of member `key` (the last one, as `json.loads` reads duplicates)."""
        for k, child in zip(reversed(self.keys), reversed(self.children)):
            if k == key:
                return child
        return None


def parse(text: str) -> Node:
    """The node tree of a JSON text; `EditRefused` when it is not valid JSON."""
    try:
        json.loads(text)
    except ValueError as exc:
        raise EditRefused(f"not valid JSON ({exc}); nothing was written") from None
    return _value(text, _skip(text, 0))[0]


def _skip(text: str, pos: int) -> int:
    match = _SPACE.match(text, pos)
    return match.end() if match else pos


def _value(text: str, pos: int) -> tuple[Node, int]:
    char = text[pos]
    if char == "{":
        return _container(text, pos, "}", keyed=True)
    if char == "[":
        return _container(text, pos, "]", keyed=False)
    match = _STRING.match(text, pos) if char == '"' else _SCALAR.match(text, pos)
    assert match is not None  # json.loads accepted the text
    return Node(pos, match.end(), json.loads(match.group())), match.end()


def _container(text: str, start: int, close: str, *, keyed: bool) -> tuple[Node, int]:
    node = Node(start, start, {} if keyed else [])
    pos = _skip(text, start + 1)
    while text[pos] != close:
        if keyed:
            key = _STRING.match(text, pos)
            assert key is not None
            node.keys.append(json.loads(key.group()))
            node.key_starts.append(pos)
            pos = _skip(text, key.end())
            pos = _skip(text, pos + 1)  # the colon
        child, pos = _value(text, pos)
        node.children.append(child)
        pos = _skip(text, pos)
        if text[pos] == ",":
            pos = _skip(text, pos + 1)
    node.end = pos + 1
    if keyed:
        node.value = {k: c.value for k, c in zip(node.keys, node.children)}
    else:
        node.value = [c.value for c in node.children]
    return node, node.end


# --- changes --------------------------------------------------------------------------------------


def add_member(text: str, obj: Node, key: str, value: Any) -> str:
    """`text` with `"key": value` added as the last member of the object `obj`."""
    assert obj.is_object
    return _add(text, obj, json.dumps(key) + _colon(text, obj), value)


def append_item(text: str, array: Node, value: Any) -> str:
    """`text` with `value` added as the last item of the array `array`."""
    assert array.is_array
    return _add(text, array, "", value)


def remove_member(text: str, obj: Node, key: str) -> str:
    """`text` without the member `key` of `obj` (the inverse of `add_member`)."""
    index = max(i for i, k in enumerate(obj.keys) if k == key)
    return _remove(text, obj, index, obj.key_starts)


def remove_item(text: str, array: Node, index: int) -> str:
    """`text` without item `index` of `array` (the inverse of `append_item` for the last)."""
    return _remove(text, array, index, [c.start for c in array.children])


def _add(text: str, container: Node, head: str, value: Any) -> str:
    unit = _indent_unit(text, container)
    outer = _line_indent(text, container.start)
    if not container.children:  # `{}`: one member per line, as json.dumps would write it
        inner = outer + unit
        body = head + _render(value, unit, inner)
        return text[: container.start + 1] + f"\n{inner}{body}\n{outer}" + text[container.end - 1 :]
    last = container.children[-1]
    first_start = container.key_starts[0] if container.keys else container.children[0].start
    if "\n" in text[container.start : first_start]:
        inner = _line_indent(text, first_start)
        insert = f",\n{inner}{head}{_render(value, unit, inner)}"
    else:
        insert = ", " + head + json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return text[: last.end] + insert + text[last.end :]


def _remove(text: str, container: Node, index: int, starts: list[int]) -> str:
    children = container.children
    if len(children) == 1:
        return text[: container.start + 1] + text[container.end - 1 :]
    if index == len(children) - 1:  # the last: from the end of the one before it
        return text[: children[index - 1].end] + text[children[index].end :]
    return text[: starts[index]] + text[starts[index + 1] :]


def _render(value: Any, unit: str, indent: str) -> str:
    """`value` as json.dumps writes it with `unit` indentation, its lines under `indent`."""
    rendered = json.dumps(value, ensure_ascii=False, indent=unit or None)
    return rendered.replace("\n", "\n" + indent)


def _colon(text: str, obj: Node) -> str:
    """The key-value separator the object already uses (`": "` by default)."""
    if not obj.keys:
        return ": "
    key_end = _STRING.match(text, obj.key_starts[0])
    assert key_end is not None
    return text[key_end.end() : obj.children[0].start] or ": "


def _line_indent(text: str, pos: int) -> str:
    line_start = text.rfind("\n", 0, pos) + 1
    match = re.match(r"[ \t]*", text[line_start:pos])
    return match.group() if match else ""


def _indent_unit(text: str, container: Node) -> str:
    """One level of indentation: what the container's children add to its own line's, else the
    first indented line of the file, else two spaces."""
    if container.children:
        first = container.key_starts[0] if container.keys else container.children[0].start
        outer = _line_indent(text, container.start)
        inner = _line_indent(text, first)
        if "\n" in text[container.start : first] and inner.startswith(outer) and inner != outer:
            return inner[len(outer) :]
    match = re.search(r"^([ \t]+)\S", text, re.MULTILINE)
    return match.group(1) if match else "  "


__all__ = ["Node", "add_member", "append_item", "parse", "remove_item", "remove_member"]
