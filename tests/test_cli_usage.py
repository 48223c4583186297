"""Usage errors (missing argument, unknown option or command) are explained in the user's language."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from conftest import SEED_ACTUALS, SEED_RULESET, seed_score_process

from jixiao.cli import COMMANDS, main
from jixiao.cli.usage import translate


def test_missing_argument_in_chinese() -> None:
    run = CliRunner().invoke(main, ["score", "rules.jx"])
    assert run.exit_code == 2
    assert "错误：缺少参数 ACTUALS" in run.output
    assert "score --help」查看用法。" in run.output  # the program name is the runner's
    assert "Traceback" not in run.output


def test_english_keeps_clicks_wording() -> None:
    run = CliRunner().invoke(main, ["score", "rules.jx", "--lang", "en"])
    assert run.exit_code == 2
    assert "Error: Missing argument 'ACTUALS...'." in run.output  # one or more files or folders


def test_unknown_command_suggests_the_closest() -> None:
    run = CliRunner().invoke(main, ["scor"])
    assert run.exit_code == 2
    assert "没有命令「scor」（是不是要写 score？）" in run.output


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("No such option '--formt'. Did you mean '--format'?", "没有选项 --formt（是不是要写 --format？）"),
        ("No such option: --x", "没有选项 --x"),
        ("Got unexpected extra argument (c)", "多余的参数：c"),
        (
            "Invalid value for 'RULESET': File 'r' is a directory.",
            "RULESET 的值不对：「r」是文件夹，这里需要文件",
        ),
        (
            "Invalid value for '--format': 'xml' is not one of 'table', 'json'.",
            "--format 的值不对：「xml」不是可选的值（可选：'table', 'json'）",
        ),
        (  # the option's two names, without click's quotes around each
            "Invalid value for '--output' / '-o': Directory 'afile' is a file.",
            "--output / -o 的值不对：「afile」是文件，这里需要文件夹",
        ),
        (
            "Invalid value for '--jobs' / '-j': -1 is not in the range x>=0.",
            "--jobs / -j 的值不对：-1 超出允许的范围（x>=0）",
        ),
        (
            "Invalid value for '--jobs' / '-j': 'abc' is not a valid integer range.",
            "--jobs / -j 的值不对：「abc」不是整数",
        ),
        (
            "Invalid value for '--deadline': 'x' is not a valid float range.",
            "--deadline 的值不对：「x」不是数",
        ),
        (
            "Invalid value for '--format': 'x' is not 'json'.",
            "--format 的值不对：「x」不是可选的值（只能是 'json'）",
        ),
        ("Invalid value for '--token-file': File 't' does not exist.", "--token-file 的值不对：「t」不存在"),
        ("Something click says that we do not know", "Something click says that we do not know"),
    ],
)
def test_translate(english: str, chinese: str) -> None:
    assert translate(english) == chinese


def test_help_and_version_still_exit_zero() -> None:
    assert CliRunner().invoke(main, ["--help"]).exit_code == 0
    assert CliRunner().invoke(main, ["--version"]).exit_code == 0


def test_the_help_lists_each_command_with_its_own_short_help() -> None:
    """`jixiao --help` writes the commands from a table without importing them: the table says what each
    command's own help says."""
    for name, (module, short) in COMMANDS.items():
        command = main.get_command(click.Context(main), name)
        assert command is not None and command.callback is not None, name
        assert command.callback.__module__ == module, name
        assert command.get_short_help_str(limit=1000) == short, name


def test_the_help_does_not_import_the_engine() -> None:
    code = (
        "import sys, jixiao.cli; print(sorted(m for m in sys.modules if m.startswith(('jixiao.', 'lark'))))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    for heavy in ("jixiao.engine", "jixiao.io", "jixiao.language", "lark", "jixiao.api"):
        assert f"'{heavy}" not in loaded, heavy


def test_python_dash_m_jixiao_runs_the_command() -> None:
    """`python -m jixiao`, for a Windows Python whose Scripts folder is not on PATH."""
    seed = Path(__file__).resolve().parent.parent / "rulesets" / "shangjie-pension"
    done = subprocess.run(
        [sys.executable, "-m", "jixiao", "score", str(seed / "2020.jx"), str(seed / "2020.actuals.csv")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "99.31" in done.stdout and "优" in done.stdout
    usage = subprocess.run(
        [sys.executable, "-m", "jixiao", "nosuch"], capture_output=True, text=True, check=False
    )
    assert usage.returncode == 2 and "jixiao" in usage.stderr and "-m" not in usage.stderr


def test_the_console_script_freezes_its_start_up_for_the_cycle_collector() -> None:
    """`run` (the console script, `python -m jixiao`) keeps the collector off while the sub-command is
    imported, then freezes what start-up made and turns the collector on again for the command's work."""
    output, at_exit = seed_score_process(
        "gc.isenabled(), gc.get_freeze_count(), sys.modules['jixiao.language.cycles']._froze"
    )
    assert "99.31" in output
    enabled, frozen, remembered = at_exit.split()
    assert enabled == "True" and int(frozen) > 10_000  # the modules, classes and functions of start-up
    assert remembered == "True"  # known without counting them (`cycles.froze`)


def test_main_leaves_the_callers_collector_alone() -> None:
    """A test or an embedding program calls `main` in its own process: nothing frozen, nothing turned off."""
    seed = Path(__file__).resolve().parent.parent / "rulesets" / "shangjie-pension"
    frozen = gc.get_freeze_count()
    run = CliRunner().invoke(main, ["score", str(seed / "2020.jx"), str(seed / "2020.actuals.csv")])
    assert run.exit_code == 0, run.output
    assert gc.isenabled() and gc.get_freeze_count() == frozen


# What scoring one CSV file does not use: the batch (summary, progress bar, process pool, arrays), PyYAML,
# tabulate and wcwidth, the html entity table (docs/performance.md, "启动 / Start").
UNUSED = (
    "jixiao.cli.batch", "jixiao.io.render.summary", "jixiao.cli.progress", "jixiao.engine.columnar",
    "concurrent.futures.process", "multiprocessing", "yaml", "tabulate", "wcwidth", "html", "numpy",
    "pydantic", "jixiao.io.actuals.xlsx", "xml.etree",
)  # fmt: skip


def test_scoring_one_file_loads_only_what_it_uses() -> None:
    output, loaded = seed_score_process(f"sorted(m for m in sys.modules if m.startswith({UNUSED!r}))")
    assert "99.31" in output
    assert loaded == "[]"


def test_json_of_one_file_is_written_without_pydantic() -> None:
    """`--format json` prints the published shape from plain data (io/render/json.py): neither pydantic
    nor the report models are loaded, the explanation's trace tree aside."""
    output, loaded = seed_score_process(
        "sorted(m for m in sys.modules if m.startswith(('pydantic', 'jixiao.io.schema')))",
        options=("--format", "json"),
    )
    assert '"total": "99.31"' in output
    assert loaded == "[]"
    explained, loaded = seed_score_process(
        "'jixiao.io.schema' in sys.modules", options=("--format", "json", "--explain")
    )
    assert '"explanation": {' in explained and loaded == "True"


def test_a_kept_checked_ruleset_is_scored_without_lark(tmp_path: Path) -> None:
    """The first run parses the seed with the generated parser (language/lalr.py), never lark; the
    second finds the checked ruleset kept by the first (io/checked.py): nothing is parsed, so not even
    the parser is imported."""
    cache = {"JIXIAO_CACHE_DIR": str(tmp_path)}
    probe = "('jixiao.language.parser' in sys.modules, 'lark' in sys.modules)"
    first, loaded_first = seed_score_process(probe, cache)
    second, loaded_second = seed_score_process(probe, cache)
    assert "99.31" in first and second == first
    assert (loaded_first, loaded_second) == ("(True, False)", "(False, False)")


def test_a_wrong_option_value_is_said_in_chinese_whole(tmp_path: Path) -> None:
    """click's own checks (a file where a folder is wanted, a number out of range) through the command."""
    (tmp_path / "afile").write_text("", encoding="utf-8")
    run = CliRunner().invoke(
        main, ["score", str(SEED_RULESET), str(SEED_ACTUALS), "-o", str(tmp_path / "afile")]
    )
    assert (
        run.exit_code == 2
        and f"错误：--output / -o 的值不对：「{tmp_path / 'afile'}」是文件，这里需要文件夹" in run.output
    )
    run = CliRunner().invoke(main, ["score", str(SEED_RULESET), str(SEED_ACTUALS), "--jobs", "-1"])
    assert run.exit_code == 2 and "错误：--jobs / -j 的值不对：-1 超出允许的范围（x>=0）" in run.output
    assert "'" not in run.output.splitlines()[1]
