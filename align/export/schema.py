"""Schema-checked XML output: a RELAX NG (.rng) or W3C XML Schema (.xsd) shipped in the package,
validation with a clear error, and the atomic write of a tree that passed it. Shared by TMX, TBX
and XLIFF."""

from __future__ import annotations

from functools import cached_property
from importlib import resources
from pathlib import Path

from lxml import etree

from align.errors import InputError
from align.export.atomic import atomic_write


class Schema:
    def __init__(self, package: str, resource: str, name: str):
        self.package, self.resource, self.name = package, resource, name

    @cached_property
    def validator(self) -> etree.RelaxNG | etree.XMLSchema:
        # parsed from its path, so that an .xsd finds the schemas it imports beside it
        with resources.as_file(resources.files(self.package).joinpath(self.resource)) as path:
            kind = etree.XMLSchema if self.resource.endswith(".xsd") else etree.RelaxNG
            return kind(etree.parse(str(path)))

    def validate(self, tree: etree._ElementTree, where: str) -> None:
        if not self.validator.validate(tree):
            error = self.validator.error_log.last_error
            raise InputError(f"{where}:{error.line}: not valid {self.name}: {error.message}")

    def write(self, path: Path, tree: etree._ElementTree) -> None:
        """Validate, then write atomically: an existing file is replaced only by a complete, valid one."""
        self.validate(tree, str(path))
        with atomic_write(Path(path)) as handle:
            write_tree(tree, handle)


def write_tree(tree: etree._ElementTree, handle) -> None:
    """Write a tree as UTF-8 XML with its declaration (for a caller that manages the file itself)."""
    tree.write(handle, xml_declaration=True, encoding="UTF-8", pretty_print=True)
