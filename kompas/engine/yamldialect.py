"""The YAML dialect of the data files: which tags and values mean what, and which parser reads them.

The strict resolver and the alias-refusing composer define what a data file may say; libyaml's
C parser reads a clean file ten times faster, and the checks here say when its tree could
differ from the pure loader's, so that file goes to the pure loader instead.
"""

from __future__ import annotations

import re
from typing import Any

import yaml


class StrictResolver(yaml.resolver.Resolver):
    """Only true/false are booleans: 'no', 'on' and 'nee' stay text (the Norway problem)."""


_REPLACED = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
StrictResolver.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _REPLACED]
    for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}
# Plain decimal numbers only: YAML 1.1 would read 0120 as octal 80 and 9:30 as 570.
StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^[-+]?(?:(?:0|[1-9][0-9]*)\.[0-9]+(?:[eE][-+]?[0-9]+)?|(?:0|[1-9][0-9]*)[eE][-+]?[0-9]+)$"
    ),
    list("-+0123456789"),
)
# Dutch writing makes 15.000 fifteen thousand; YAML would read 15.0. Keep it text, so the
# reader of the value (a number check, or an answer parser) decides and can say so.
for _first in "0123456789-":
    StrictResolver.yaml_implicit_resolvers.setdefault(_first, []).insert(
        0, ("tag:yaml.org,2002:str", re.compile(r"^-?[0-9]{1,3}(?:\.[0-9]{3})+$"))
    )
StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


ALLOWED_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}


class StrictComposer(yaml.composer.Composer):
    """Refuses aliases: they can nest exponentially (a risk for uploaded files) or loop."""

    # Provided by the parser this composer is mixed with in the loader.
    check_event: Any
    peek_event: Any

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.events.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None,
                None,
                f"YAML aliases (*{event.anchor}) are not allowed: write the value out",
                event.start_mark,
            )
        return super().compose_node(parent, index)


class PureLoader(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    StrictComposer,
    yaml.constructor.SafeConstructor,
    StrictResolver,
):
    """A SafeLoader with the strict resolver."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        StrictComposer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        StrictResolver.__init__(self)


CParser: Any
try:
    from yaml._yaml import CParser as CParser
except ImportError:  # PyYAML built without libyaml
    CParser = None


if CParser is not None:

    class FastLoader(CParser, yaml.constructor.SafeConstructor, StrictResolver):  # type: ignore[misc]
        """libyaml's C parser and composer with the strict resolver (C calls its resolve())."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            StrictResolver.__init__(self)


# libyaml reads the data files ten times faster; without it the pure loader does all.
FAST: bool = CParser is not None


_NULL = "tag:yaml.org,2002:null"


def c_differs(root: yaml.Node) -> bool:
    """Whether libyaml's tree may differ from the pure loader's, or holds an alias.

    libyaml composes an alias as the anchored node itself, so a node reached twice is one.
    Inside [ ] or { } it reads "a ?b" as one value where PyYAML sees a '?' key marker. An
    empty plain value tagged "!" is text to libyaml and null to PyYAML, and an empty one
    marks another place: fine only as a mapping value, whose key's place is reported.
    """
    seen: set[int] = set()
    todo: list[tuple[yaml.Node, bool, bool]] = [(root, False, False)]
    while todo:
        node, in_flow, is_value = todo.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if in_flow and "?" in node.value:
                return True
            if node.value == "" and not node.style and not (is_value and node.tag == _NULL):
                return True
            continue
        in_flow = in_flow or bool(getattr(node, "flow_style", False))
        if isinstance(node, yaml.SequenceNode):
            todo.extend((child, in_flow, False) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                todo.extend(((key, in_flow, False), (value, in_flow, True)))
    return False


# libyaml takes a tab inside a plain value, a comment right after | or > and tags and
# directives that PyYAML refuses, and counts columns past a byte order mark differently:
# text with any of these (a tag or directive can only start after a space, [ { or a comma)
# is read by the pure loader only.
PURE_ONLY = re.compile(r"[\t\ufeff]|[|>][-+0-9]*#|(?:^|[\s\[{,])!|^%", re.MULTILINE)
