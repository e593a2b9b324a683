"""The README stays true: every command documented, the ontology picture current."""
import subprocess
import sys
from pathlib import Path

from kgbuild.cli import cli

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_every_command_has_a_readme_example_and_help_example():
    for name, command in cli.commands.items():
        assert f"kgbuild {name} " in README, name
        assert "Example:" in (command.help or ""), name


def test_ontology_picture_is_generated_from_the_turtle():
    script = REPO / "scripts" / "ontology_diagram.py"
    assert subprocess.run([sys.executable, str(script), "--check"]).returncode == 0
    assert "kg:Event" in README and "classDiagram" in README


def test_makefile_has_the_two_commands_and_ci_calls_the_test_one():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "\ndemo:" in makefile and "\ntest:" in makefile
    assert "make demo" in README and "make test" in README
    assert "make test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_event_type_scheme_is_generated_from_the_table():
    script = REPO / "scripts" / "gen_event_types.py"
    assert subprocess.run([sys.executable, str(script), "--check"]).returncode == 0
