"""Every command is documented: it has help with an example and the README names it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

README = Path(__file__).resolve().parent.parent / "README.md"
EXPECTED = {"build", "validate", "query", "export", "network", "serve", "evaluate"}


def test_every_expected_command_exists():
    assert set(cli.commands) >= EXPECTED


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_command_has_help_with_example(name):
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output
    assert f"coopgraph {name}" in result.output


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_command_is_in_readme(name):
    text = README.read_text(encoding="utf-8")
    assert f"`coopgraph {name}`" in text, f"README.md does not document `coopgraph {name}`"


def test_top_level_help_lists_commands():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in EXPECTED:
        assert name in result.output


def test_unknown_command_is_a_usage_error():
    result = CliRunner().invoke(cli, ["no-such-command"])
    assert result.exit_code == 2
