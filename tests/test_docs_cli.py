"""The README's command reference is generated from the CLI's own help and must not drift."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from powercat import docs_cli
from powercat.cli import app


def _section(text: str) -> str:
    return text[text.index(docs_cli.BEGIN): text.index(docs_cli.END) + len(docs_cli.END)]


def test_readme_reference_is_what_the_cli_says():
    readme = docs_cli.README.read_text(encoding="utf-8")
    assert _section(readme) == docs_cli.render(), "README drifted from --help: run python -m powercat.docs_cli"


def test_every_command_and_option_of_help_is_in_the_reference():
    reference = docs_cli.render()
    group = typer.main.get_command(app)
    runner = CliRunner()
    for name in ("list", "template", "check", "law", "flowchart", "catalogue", "build", "diff", "stats", "review", "cases"):
        assert f"#### `powercat {name}`" in reference
        shown = runner.invoke(app, [name, "--help"], env={"COLUMNS": "300"}).output
        command = group.commands[name]
        for param in command.params:
            if param.param_type_name == "option" and not param.hidden:
                assert param.opts[0] in shown and param.opts[0] in reference, (name, param.opts)
                first_words = (param.help or "")[:8]
                assert first_words in reference, (name, param.opts)


def test_a_changed_help_changes_only_the_section(monkeypatch):
    before = docs_cli.render()
    monkeypatch.setattr(app.registered_commands[0].callback, "__doc__", "改过的说明。")
    after = docs_cli.render()
    assert after != before and "改过的说明。" in after  # a help changed in cli.py shows in the reference
    readme = "# x\n\nprose\n" + docs_cli.BEGIN + "\nold\n" + docs_cli.END + "\nmore prose\n"
    rewritten = docs_cli.updated(readme)
    assert rewritten.startswith("# x\n\nprose\n") and rewritten.endswith("\nmore prose\n")
    assert "改过的说明。" in rewritten and "\nold\n" not in rewritten
