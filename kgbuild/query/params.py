"""Saved-query parameters: what each `kgbuild/query/saved/*.rq` takes, checks, and binding them.

A saved query declares its parameters in comment lines `#@param NAME... required|optional`
(names on one line are given together or not at all) and marks where each is bound with a
`VALUES ?NAME { UNDEF }` block, usually inside the subquery that finds the few nodes the
rest of the query starts from. Binding replaces `UNDEF` with the escaped term, so the
engine sees a constant where the pattern needs it (not a VALUES block at the top and a
final FILTER); unbound optional parameters stay `UNDEF`.

Parameters of a closed set of values (`READERS`: quad, root, modality, role) are read into
the form the graph holds before they are bound (`-p quad "material conflict"` is the
integer 4 of `kg:quadClass`, `-p root 4` the string "04" of `kg:cameoRoot`), and a value
outside the set is an error that lists the set, not an empty answer.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from rdflib import BNode, Literal, URIRef

from ..errors import QueryError, QueryParameterError
from ..model import MODALITIES

#: The quad classes of `kg:quadClass` (0-4), by name as the ontology explains them.
QUAD_CLASSES = ("neutral", "verbal cooperation", "material cooperation", "verbal conflict",
                "material conflict")
#: `-p modality` values beyond MODALITIES: negated events (of any modality), and every event.
MODALITY_CHOICES = MODALITIES + ("negated", "any")
#: `-p role` of `timeline`: where the actor stands in the event (`any`: either slot).
ROLES = ("actor", "target", "recipient", "any")


def _quad(value: str) -> int | None:
    word = " ".join(value.replace("-", " ").replace("_", " ").lower().split())
    if word in QUAD_CLASSES:
        return QUAD_CLASSES.index(word)
    return int(word) if word in ("0", "1", "2", "3", "4") else None


def _root(value: str) -> str | None:
    digits = value.strip()
    return f"{int(digits):02d}" if digits.isdigit() and 1 <= int(digits) <= 20 else None


def _choice(choices: tuple[str, ...]):
    def read(value: str) -> str | None:
        word = value.strip().lower()
        return word if word in choices else None
    return read


#: Parameter name -> (what it takes, reader: the value as the graph holds it, or None).
READERS = {
    "quad": ("0-4 or a quad class name (" + ", ".join(QUAD_CLASSES) + ")", _quad),
    "root": ("a CAMEO root code, 01-20", _root),
    "modality": ("one of " + ", ".join(MODALITY_CHOICES), _choice(MODALITY_CHOICES)),
    "role": ("one of " + ", ".join(ROLES), _choice(ROLES)),
}


_DECLARED = re.compile(r"^#@param\s+([\w ]+?)\s+(required|optional)\s*$", re.M)
#: SPARQL 1.1's VARNAME (grammar rule 166): what may follow `?` in a variable.
_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
         "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")
VARNAME = re.compile(f"[{_BASE}_0-9][{_BASE}_0-9\u00B7\u0300-\u036F\u203F-\u2040]*")


def _placeholder(name: str) -> re.Pattern:
    return re.compile(r"VALUES\s+\?" + re.escape(name) + r"\s*\{\s*UNDEF\s*\}")


@dataclass(frozen=True)
class Parameters:
    """The parameters of one saved query: groups of names given together, and which are required."""

    groups: tuple[tuple[str, ...], ...] = ()
    required: frozenset[str] = frozenset()

    @property
    def names(self) -> list[str]:
        return [n for group in self.groups for n in group]

    def describe(self) -> str:
        """`actor (required)`, `lat lon km (together)`, or `none`."""
        parts = []
        for group in self.groups:
            tags = [t for t, on in (("required", group[0] in self.required),
                                    ("together", len(group) > 1)) if on]
            parts.append(" ".join(group) + (f" ({', '.join(tags)})" if tags else ""))
        return ", ".join(parts) or "none"


@functools.lru_cache(maxsize=64)
def parameters(text: str) -> Parameters:
    """The `#@param` declarations of a query text (none for ad-hoc queries)."""
    groups: list[tuple[str, ...]] = []
    required: set[str] = set()
    for match in _DECLARED.finditer(text):
        names = tuple(match.group(1).split())
        groups.append(names)
        if match.group(2) == "required":
            required.update(names)
    return Parameters(tuple(groups), frozenset(required))


def check_names(bindings: dict) -> None:
    """Refuse a binding whose name is not a SPARQL variable name (it could bind nothing).

    Raises:
        QueryParameterError: names the first such name.
    """
    for name in bindings:
        if not VARNAME.fullmatch(name):
            hint = " (give it without the '?')" if VARNAME.fullmatch(name[1:]) else ""
            raise QueryParameterError(f"cannot bind '{name}': a parameter name is a SPARQL "
                                      f"variable name, letters, digits and _ only{hint}")


def check_bindings(name: str, text: str, bindings: dict) -> dict:
    """Refuse bindings that the saved query `name` does not take, missing required ones,
    and values outside a parameter's set (`READERS`); returns the bindings with those
    values in the form the graph holds.

    Raises:
        QueryParameterError: names the query's parameters (and the `-p` form to give them),
            or the values a parameter takes.
    """
    params = parameters(text)
    known = set(params.names)
    unknown = sorted(set(bindings) - known)
    takes = (f"it takes {params.describe()}" if known else "it takes no parameters")
    if unknown:
        raise QueryParameterError(f"saved query '{name}' has no parameter "
                                  f"{', '.join(unknown)}; {takes}")
    for group in params.groups:
        given = [n for n in group if n in bindings]
        if group[0] in params.required and not given:
            example = " ".join(f"-p {n} VALUE" for n in group)
            raise QueryParameterError(f"saved query '{name}' needs {' and '.join(group)} "
                                      f"({example}); {takes}")
        if given and len(given) < len(group):
            missing = [n for n in group if n not in bindings]
            raise QueryParameterError(f"saved query '{name}' takes {' '.join(group)} together; "
                                      f"{', '.join(missing)} missing")
    return {key: _read(name, key, value) for key, value in bindings.items()}


def _read(query: str, key: str, value: object) -> object:
    """A bound value of a closed-set parameter as the graph holds it; others as given."""
    if key not in READERS:
        return value
    takes, reader = READERS[key]
    read = reader(str(value))
    if read is None:
        raise QueryParameterError(f"saved query '{query}': -p {key} takes {takes}, not {str(value)!r}")
    return read


def bind_placeholders(text: str, bindings: dict) -> tuple[str, dict]:
    """`text` with each bound `VALUES ?NAME { UNDEF }` holding the term instead (its escaped
    N-Triples form), and the bindings that had no placeholder (left for the caller)."""
    rest = {}
    for name, term in bindings.items():
        pattern = _placeholder(name) if VARNAME.fullmatch(name) else None
        if pattern is None or not pattern.search(text):
            rest[name] = term
            continue
        block = f"VALUES ?{name} {{ {term.n3()} }}"
        text = pattern.sub(lambda _m: block, text)  # (run at once: `block` is this one)
    return text, rest


_WHERE = re.compile(r"\bWHERE\s*\{", re.I)


def bind_values(text: str, bindings: dict) -> str:
    """Insert `VALUES (?a ?b) { (t1 t2) }` right after the first `WHERE {`: the bindings
    `bind_placeholders` left, written as escaped terms (never the raw user text)."""
    if not bindings:
        return text
    names = " ".join(f"?{k}" for k in bindings if VARNAME.fullmatch(k))
    try:
        terms = " ".join(_rdf_term(v).n3() for k, v in bindings.items() if VARNAME.fullmatch(k))
    except Exception as err:  # noqa: BLE001 - rdflib refuses to write an invalid IRI
        raise QueryError(f"cannot bind a parameter: {' '.join(str(err).split())[:200]}") from None
    block = f" VALUES ({names}) {{ ({terms}) }} "
    m = _WHERE.search(text)
    at = m.end() if m else text.find("{") + 1
    if at <= 0:
        return text
    return text[:at] + block + text[at:]


def _rdf_term(value):
    if isinstance(value, (URIRef, Literal, BNode)):
        return value
    return Literal(str(value))
