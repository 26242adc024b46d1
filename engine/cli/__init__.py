"""The `clea` command (engine/cli/program.py): `run(argv, stdout, stderr) -> int` does the work (tests call it);
`main()` only exits. One module per command group, each with `add_parser(commands)`."""
from .program import build_parser, main, run

__all__ = ["build_parser", "main", "run"]
