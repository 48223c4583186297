"""`python -m jixiao …`: the `jixiao` command, for a Python whose Scripts folder is not on PATH (Windows)."""

from jixiao.cli import main

if __name__ == "__main__":
    main(prog_name="jixiao")
