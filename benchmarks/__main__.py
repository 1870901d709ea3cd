"""`python -m benchmarks generate|run --scale small|national [--db PATH] [--out FILE.json]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from benchmarks.scale import SCALES

OUT = Path(__file__).resolve().parent / "out"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in (("generate", "build the dataset"), ("run", "run B1–B6 on it")):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("--scale", choices=sorted(SCALES), default="small")
        sub.add_argument("--db", type=Path, help="the dataset (default benchmarks/out/SCALE.db)")
        if name == "run":
            sub.add_argument("--out", type=Path,
                             help="the JSON results (default benchmarks/out/SCALE.json)")
            sub.add_argument("--only", help="comma-separated scenarios, e.g. B1,B2")
    args = parser.parse_args(argv)
    scale = SCALES[args.scale]
    db = args.db or OUT / f"{scale.name}.db"
    if args.command == "generate":
        from benchmarks.generate import NotADataset, describe, generate

        try:
            counts = generate(db, scale)
        except NotADataset as error:
            print(error, file=sys.stderr)
            return 2
        print(f"{db}: {describe(counts)}")
        return 0
    from benchmarks.report import run_and_report

    only = {name.strip().upper() for name in args.only.split(",")} if args.only else None
    return run_and_report(db, scale, args.out or OUT / f"{scale.name}.json", only)


if __name__ == "__main__":
    sys.exit(main())
