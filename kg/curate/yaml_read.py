"""Read one YAML data file as a curator wrote it: each mapping keeps its file and the line of
each key (so that every finding points at a line), dates stay the strings written, and the
bounds of :mod:`kg.curate.yaml_bounds` (size, aliases, nesting, control characters) hold.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kg.curate.yaml_bounds import MAX_YAML_BYTES, MAX_YAML_DEPTH, MAX_YAML_NODES, UNSAFE_TEXT, expanded_size
from kg.errors import DataError


class Mapping(dict):
    """A YAML mapping that remembers its file, its line and the line of each key."""

    file: str = "?"
    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


def yaml_loader(filename: str):
    """A PyYAML loader class for ``filename`` (see the module docstring)."""
    import yaml

    class Loader(yaml.SafeLoader):
        """SafeLoader that keeps line numbers and leaves dates as the strings written."""

        def construct_scalar(self, node: yaml.ScalarNode | yaml.MappingNode) -> Any:
            value = super().construct_scalar(node)
            bad = UNSAFE_TEXT.search(value) if isinstance(value, str) else None
            if bad:
                raise yaml.constructor.ConstructorError(
                    None, None, f"control character U+{ord(bad.group()):04X} in text", node.start_mark
                )
            return value

    Loader.yaml_implicit_resolvers = {
        ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def construct_mapping(loader, node):
        loader.flatten_mapping(node)
        m = Mapping()
        m.file, m.line, m.key_lines = filename, node.start_mark.line + 1, {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)):
                raise yaml.constructor.ConstructorError(
                    None, None, f"a key must be a plain value, not {kind_name(key)}", key_node.start_mark
                )
            if key in m:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            m[key] = loader.construct_object(value_node, deep=True)
            m.key_lines[key] = key_node.start_mark.line + 1
        return m

    def construct_int(loader, node):
        try:
            return yaml.SafeLoader.construct_yaml_int(loader, node)
        except ValueError:
            raise yaml.constructor.ConstructorError(None, None, "integer too long", node.start_mark) from None

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    Loader.add_constructor("tag:yaml.org,2002:int", construct_int)
    return Loader


def read_yaml(path: Path, display: str) -> Any:
    """Parse one YAML file; a syntax error becomes a :class:`DataError` naming file and line."""
    import stat

    import yaml

    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO would hang, /dev/zero fill the memory
            raise DataError([f"{display}: not a regular file"])
        if info.st_size > MAX_YAML_BYTES:
            raise DataError([f"{display}: {info.st_size:,} bytes, more than a data file may hold ({MAX_YAML_BYTES:,})"])
        text = path.read_bytes()[: MAX_YAML_BYTES + 1].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError([f"{display}: not UTF-8 text ({exc.reason})"]) from None
    loader = None
    try:
        loader = yaml_loader(display)(text)  # its reader refuses characters YAML does not allow
        node = loader.get_single_node()
        if node is None:
            return None
        nodes, depth = expanded_size(node)
        if nodes > MAX_YAML_NODES:
            raise DataError([f"{display}: its aliases expand to {nodes:,} values (at most {MAX_YAML_NODES:,})"])
        if depth > MAX_YAML_DEPTH:
            raise DataError([f"{display}: nested {depth} levels deep (at most {MAX_YAML_DEPTH})"])
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{display}:{mark.line + 1}" if mark else display
        problem = exc.problem or exc.context or "invalid YAML"
        raise DataError([f"{where}: YAML syntax error: {problem}"]) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        line = text.count("\n", 0, exc.position) + 1
        raise DataError([f"{display}:{line}: control character U+{exc.character:04X} in text"]) from None
    except RecursionError:
        raise DataError([f"{display}: nested too deeply (at most {MAX_YAML_DEPTH} levels)"]) from None
    finally:
        if loader is not None:
            loader.dispose()


_KIND_NAMES: dict[type, str] = {dict: "a mapping", Mapping: "a mapping", list: "a list", str: "text"}


def kind_name(v: Any) -> str:
    """What a YAML value is, as a finding says it: "a mapping", "a list", "text"."""
    return _KIND_NAMES.get(type(v), type(v).__name__)
