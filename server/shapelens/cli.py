"""Command line: ``shapelens rules`` (what is understood)."""

from __future__ import annotations

import argparse
import sys


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="shapelens", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    rules = commands.add_parser("rules", help="list every torch op whose shapes are understood")
    rules.add_argument("--markdown", action="store_true", help="print docs/coverage.md")
    args = parser.parse_args(argv)
    if args.command == "rules":
        from .coverage import coverage_markdown, coverage_text

        sys.stdout.write((coverage_markdown() if args.markdown else coverage_text()) + "\n")
        return 0
    return 2
