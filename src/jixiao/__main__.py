"""`python -m jixiao …`: the `jixiao` command, for a Python whose Scripts folder is not on PATH (Windows)."""

from jixiao.cli import run

if __name__ == "__main__":
    run()
