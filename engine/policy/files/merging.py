"""Merging an overlay's data over its base's (engine/policy/overlays.py), remembering where each merged part was
written, so that a problem found in the merged policy names the overlay's line (or the base's)."""
from __future__ import annotations

from collections.abc import Hashable

from ...documents import Document
from ...errors import Issue, json_path
from ...suggestions import unknown
from ..model.parameters import merge_dated

REMOVE_MARK = "retirer"
DATED = ("parametres", "valeurs")     # a parameter's dated values: parametres.<...>.valeurs


def is_id_list(value: object) -> bool:
    """A list of items each with an id (merged and compared by id); an id that is a mapping or a list is none."""
    return isinstance(value, list) and all(isinstance(item, dict) and "id" in item and isinstance(item["id"], Hashable)
                                           for item in value)


def _is_dated(path: tuple, base, patch) -> bool:
    return path[:1] == DATED[:1] and path[-1:] == DATED[1:] and isinstance(base, list) and isinstance(patch, list)


class Merger:
    """Merges overlay data over base data, remembering where every merged part comes from."""

    def __init__(self, base_sources):
        self.base_sources = base_sources
        # merged path -> ("overlay", document, path in it) or ("base", None, path in the assembled base)
        self.origins: dict[tuple, tuple] = {}
        self.rule_origins: list[tuple[Document, int]] = []
        self.removed: list[tuple[tuple, Document, tuple, dict]] = []   # merged path, document, its path, base item
        self.issues: list[Issue] = []

    def merge(self, base, patch, document: Document, patch_path: tuple, merged_path: tuple, base_path: tuple):
        if isinstance(base, dict) and isinstance(patch, dict):
            out = dict(base)
            for key, value in patch.items():
                here = merged_path + (key,)
                if value is None:
                    if key in out:
                        self.removed.append((here, document, patch_path + (key,), out.pop(key)))
                elif key in base:
                    out[key] = self.merge(base[key], value, document, patch_path + (key,), here, base_path + (key,))
                else:
                    out[key] = value
                    self.origins[here] = ("overlay", document, patch_path + (key,))
            return out
        if _is_dated(merged_path, base, patch):
            return self._merge_dated(base, patch, document, patch_path, merged_path, base_path)
        if is_id_list(base) and is_id_list(patch):
            items = [(item, ("base", None, base_path + (index,))) for index, item in enumerate(base)]
            merged = self._merge_by_id(items, [(item, document, patch_path + (index,)) for index, item in enumerate(patch)],
                                       merged_path)
            for index, (_, origin) in enumerate(merged):
                self.origins[merged_path + (index,)] = origin
            return [item for item, _ in merged]
        self.origins[merged_path] = ("overlay", document, patch_path)
        return patch

    def _merge_dated(self, base: list, patch: list, document, patch_path, merged_path, base_path) -> list:
        own_index = {id(entry): index for index, entry in enumerate(patch)}
        base_index = {id(entry): index for index, entry in enumerate(base)}
        out = []
        for position, (entry, own) in enumerate(merge_dated(base, patch)):
            self.origins[merged_path + (position,)] = (("overlay", document, patch_path + (own_index[id(entry)],))
                                                       if own else ("base", None, base_path + (base_index[id(entry)],)))
            out.append(entry)
        self.origins.setdefault(merged_path, ("overlay", document, patch_path))
        return out

    def merge_rules(self, base_rules: list, documents: list[Document]) -> list:
        items = [(rule, ("rule", *self.base_sources.rule_origins[index])) for index, rule in enumerate(base_rules)]
        patch = [(rule, document, (index,)) for document in documents for index, rule in enumerate(document.data)]
        merged = self._merge_by_id(items, patch, ("regles",))
        self.rule_origins = [(origin[1], origin[2]) if origin[0] == "rule" else (origin[1], origin[2][0])
                             for _, origin in merged]
        return [rule for rule, _ in merged]

    def _merge_by_id(self, items: list, patch: list, merged_path: tuple) -> list:
        position = {item.get("id"): index for index, (item, _) in enumerate(items)}
        out = list(items)
        dropped = set()
        for item, document, path in patch:
            item_id = item.get("id") if isinstance(item, dict) else None
            if not isinstance(item, dict) or item_id is None or not isinstance(item_id, Hashable):   # the schema tells
                out.append((item, ("overlay", document, path)))
                continue
            if item.get(REMOVE_MARK) is True:
                if item_id not in position:
                    self.issues.append(Issue(json_path(merged_path), unknown("ne peut retirer un élément que la base n'a "
                                             "pas :", item_id, position), document.source, document.line_of(path)))
                else:
                    dropped.add(item_id)
                    self.removed.append((merged_path + (item_id,), document, path, items[position[item_id]][0]))
                continue
            if item_id in position:
                out[position[item_id]] = (item, ("overlay", document, path))
            else:
                position[item_id] = len(out)
                out.append((item, ("overlay", document, path)))
        return [entry for entry in out if not (isinstance(entry[0], dict) and isinstance(entry[0].get("id"), Hashable)
                                               and entry[0]["id"] in dropped)]


class MergedSources:
    """Turns a JSON path of the merged policy into the file and line it was written at (overlay or base)."""

    def __init__(self, base_sources, origins: dict, rule_origins: list):
        self.base = base_sources
        self.documents = base_sources.documents
        self.origins = origins
        self.rule_origins = rule_origins

    def locate(self, path: tuple) -> tuple[str | None, int | None]:
        path = tuple(path)
        if not path:
            return None, None
        if path[0] == "regles" and len(path) > 1 and isinstance(path[1], int) and path[1] < len(self.rule_origins):
            document, index = self.rule_origins[path[1]]
            return document.source, document.line_of((index,) + path[2:])
        for size in range(len(path), 0, -1):
            origin = self.origins.get(path[:size])
            if origin is not None:
                kind, document, where = origin
                if kind == "overlay":
                    return document.source, document.line_of(where + path[size:])
                return self.base.locate(where + path[size:])
        # a part the overlay changed deeper down (e.g. only a parameter's values): the overlay's line for it
        below = sorted(((origin_path, origin) for origin_path, origin in self.origins.items()
                        if origin[0] == "overlay" and origin_path[:len(path)] == path and len(origin_path) > len(path)),
                       key=lambda item: (len(item[0]), [str(part) for part in item[0]]))
        if below:
            origin_path, (_, document, where) = below[0]
            return document.source, document.line_of(where[:len(where) - (len(origin_path) - len(path))])
        return self.base.locate(path)

    def issue(self, path: tuple, message: str) -> Issue:
        file, line = self.locate(path)
        return Issue(json_path(path), message, file, line)
