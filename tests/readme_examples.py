"""The fenced examples of README.md, read as data for tests/test_readme.py (issue 28 item 6).

An example is one fenced block in `sh`, `bash`, `console` or `python`. Its id is the
section it stands in and its number there (`build-2`: the second example under
"`kgbuild build` — …"), so a failure names the example a reader can find. A block that
cannot run offline on the sample corpus has the line `<!-- not run: REASON -->` right
before its fence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

RUNNABLE = ("sh", "bash", "console", "python")
FENCE = re.compile(r"^```(\w*)\s*$")
HEADING = re.compile(r"^(#{2,4}) (.+)$")
NOT_RUN = re.compile(r"^<!-- not run: (.+) -->$")
COMMAND = re.compile(r"`kgbuild (\w+)`")


@dataclass(frozen=True)
class Example:
    id: str
    language: str
    line: int            # of the opening fence, 1-based
    text: str
    not_run: str | None  # the reason given in the README, or None

    def commands(self) -> list[str]:
        """Shell lines to run, `\\`-continued lines joined; in a `console` block the
        lines after `$ `."""
        lines, current = [], ""
        for raw in self.text.splitlines():
            if self.language == "console":
                if raw.startswith("$ "):
                    lines.append(raw[2:])
                continue
            current += raw.rstrip("\\").rstrip() + " " if raw.endswith("\\") else raw
            if not raw.endswith("\\"):
                if current.strip() and not current.lstrip().startswith("#"):
                    lines.append(current.strip())
                current = ""
        return lines

    def console_output(self) -> list[str]:
        """The output a `console` block shows (its lines that are not `$ ` commands)."""
        return [line for line in self.text.splitlines() if not line.startswith("$ ")]


def section_name(heading: str) -> str:
    """`kgbuild build` in "`kgbuild build` — one merged RDF graph", else the heading's
    words before its first ':', '—' or ',' ("The event table: …" → event-table)."""
    named = COMMAND.search(heading)
    if named:
        return named.group(1)
    words = re.split(r"[:—,]", heading, maxsplit=1)[0].lower().split()
    if words and words[0] == "the":
        words = words[1:]
    return "-".join(re.sub(r"[^a-z0-9]", "", w) for w in words)


def readme_examples(readme: Path) -> list[Example]:
    """Every top-level fenced block of a runnable language, in README order."""
    examples: list[Example] = []
    counts: dict[str, int] = {}
    section, previous = "readme", ""
    lines = readme.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        heading, fence = HEADING.match(lines[i]), FENCE.match(lines[i])
        if heading:
            section = section_name(heading.group(2))
        elif fence:
            end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
            if fence.group(1) in RUNNABLE:
                counts[section] = counts.get(section, 0) + 1
                marker = NOT_RUN.match(previous)
                examples.append(Example(f"{section}-{counts[section]}", fence.group(1), i + 1,
                                        "\n".join(lines[i + 1:end]),
                                        marker.group(1) if marker else None))
            i = end
        if lines[i].strip():
            previous = lines[i].strip()
        i += 1
    return examples


def table_columns(readme: Path) -> dict[str, bool]:
    """The event-table columns the README lists, each with whether it is for mention rows
    only ("`--rows mentions` and `extract` only")."""
    text = readme.read_text(encoding="utf-8")
    table = text.split("| column | GDELT", 1)[1].split("\n\n", 1)[0]
    columns = {}
    for row in table.splitlines()[2:]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        columns[cells[0].strip("`")] = "and `extract` only" in cells[-1]
    return columns
