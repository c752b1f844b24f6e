"""Command line: ``shapelens check`` (shape facts for CI and other editors), ``shapelens serve``
(the language server), ``shapelens rules`` (what is understood), ``shapelens codes`` (what can be
reported)."""

from __future__ import annotations

import argparse
import json
import os
import sys

SEVERITY_ORDER = ("error", "warning", "information", "hint")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="shapelens", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="analyse files or folders and report shape problems")
    check.add_argument("paths", nargs="+", metavar="PATH")
    check.add_argument(
        "--json", action="store_true", help="one JSON object on stdout, format version 1 (docs/check-json.md)"
    )
    check.add_argument("--hints", action="store_true", help="also print the shape of every tensor name")
    check.add_argument(
        "--validate",
        action="store_true",
        help="also run each model on torch's meta device (runs the file's definitions)",
    )
    check.add_argument(
        "--python",
        default=None,
        metavar="PY",
        help="the project's interpreter: its installed packages are analysed where imported, "
        "and it runs --validate (needs torch then; default: this one)",
    )
    check.add_argument(
        "--timeout", type=float, default=20.0, metavar="S", help="seconds a validation run may take (default 20)"
    )
    serve_cmd = commands.add_parser("serve", help="run the language server over stdio")
    serve_cmd.add_argument("--stdio", action="store_true", help="(default) talk LSP over stdin/stdout")
    serve_cmd.add_argument("--clientProcessId", type=int, default=None, help="exit when this process ends")
    rules = commands.add_parser("rules", help="list every torch op whose shapes are understood")
    rules.add_argument("--markdown", action="store_true", help="print docs/coverage.md")
    codes_cmd = commands.add_parser("codes", help="list every diagnostic code, its severity and summary")
    codes_cmd.add_argument("--markdown", action="store_true", help="print docs/rules/README.md")
    try:
        args, unknown = parser.parse_known_args(argv)
        if unknown and args.command != "serve":
            parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    except SystemExit as exc:
        return 2 if exc.code else 0
    if args.command == "serve":
        return serve(args.clientProcessId)
    if args.command == "rules":
        from .coverage import coverage_markdown, coverage_text

        sys.stdout.write((coverage_markdown() if args.markdown else coverage_text()) + "\n")
        return 0
    if args.command == "codes":
        from . import codes

        sys.stdout.write(codes.markdown() if args.markdown else codes.text())
        return 0
    validation = {"python": args.python, "timeout": args.timeout} if args.validate else None
    return run_check(args.paths, as_json=args.json, hints=args.hints, validation=validation, python=args.python)


def serve(client_pid=None) -> int:
    """Run the language server. stdout carries only the protocol: anything printed goes to stderr."""
    import logging

    protocol_out = sys.stdout.buffer
    sys.stdout = sys.stderr
    logging.basicConfig(
        stream=sys.stderr,
        level=logging.INFO if os.environ.get("SHAPELENS_DEBUG") else logging.WARNING,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )
    from .lsp.server import create_server, watch_parent

    server = create_server()
    watch_parent(client_pid)
    server.start_io(sys.stdin.buffer, protocol_out)  # pygls swallows the SystemExit of `exit`
    return 0 if server.shutdown_requested else 1


def collect_files(paths: list) -> list:
    """The .py files below folders (but those ``[tool.shapelens] exclude`` names) and the files named."""
    from .config import config_for

    files: list = []
    for path in paths:
        if os.path.isdir(path):
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__pycache__")
                for name in sorted(filenames):
                    file = os.path.join(dirpath, name)
                    if name.endswith(".py") and not config_for(os.path.abspath(file)).excludes(os.path.abspath(file)):
                        files.append(file)
        elif os.path.isfile(path):
            files.append(path)  # named: checked even if excluded, as ruff does
        else:
            raise FileNotFoundError(path)
    return files


def run_check(paths: list, as_json: bool = False, hints: bool = False, validation=None, python=None) -> int:
    from .analysis import analyze
    from .analysis.installed import environment
    from .analysis.workspace import project_root

    try:
        files = collect_files(paths)
    except FileNotFoundError as exc:
        sys.stderr.write(f"shapelens: no such file or folder: {exc}\n")
        return 2
    roots = sorted({project_root(f) or os.path.dirname(os.path.abspath(f)) for f in files})
    reports, texts = [], []
    for path in files:
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                texts.append(handle.read())
            reports.append(analyze(path, texts[-1], roots=roots, environment=environment(python) if python else None))
        except OSError as exc:
            sys.stderr.write(f"shapelens: cannot read {path}: {exc}\n")
            return 2
    if validation is not None:
        reports = _validated(reports, texts, roots, **validation)
    reports = [_configured(report, text) for report, text in zip(reports, texts)]
    has_error = any(d.severity == "error" for r in reports for d in r.diagnostics)
    if as_json:
        json.dump({"shapelens": 1, "files": [r.to_json() for r in reports]}, sys.stdout)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(_human(reports, hints))
    return 1 if has_error else 0


def _configured(report, text: str):
    """The report with what the project asks: ``# shapelens: ignore`` comments, per-file ignores and
    severities of ``[tool.shapelens]`` (problems in that table said once on stderr)."""
    from dataclasses import replace

    from .config import config_for, reported

    path = os.path.abspath(report.path)
    config = config_for(path)
    for problem in config.problems:
        if problem not in _said:
            _said.add(problem)
            sys.stderr.write(f"shapelens: {problem}\n")
    return replace(report, diagnostics=[d for _, d in reported(report.diagnostics, text, path, config)])


_said: set = set()


def _validated(reports: list, texts: list, roots: list, python=None, timeout=20.0) -> list:
    """The reports with what runs on the meta device confirmed, contradicted or filled in (each
    run on the very text its report analysed)."""
    from .validation import Worker, WorkerError, validate

    worker = Worker(python, timeout=timeout)
    out = []
    try:
        for report, text in zip(reports, texts):
            if report.syntax_error:
                out.append(report)
                continue
            try:
                outcome = validate(report, text, worker, roots)
            except WorkerError as exc:
                sys.stderr.write(f"shapelens: {report.path}: not validated: {exc}\n")
                out.append(report)
                continue
            sys.stderr.write(f"shapelens: {report.path}: validated on the meta device: {outcome.summary()}\n")
            out.append(outcome.report)
    finally:
        worker.stop()
    return out


def _human(reports: list, hints: bool) -> str:
    from .analysis.report import shape_text

    lines: list = []
    counts = dict.fromkeys(SEVERITY_ORDER, 0)
    for report in reports:
        entries = []
        for d in report.diagnostics:
            counts[d.severity] += 1
            fix = f" [fix: {d.fixes[0].title}]" if d.fixes else ""
            entries.append(
                (d.span.line, d.span.col, f"{report.path}:{d.span.line}:{d.span.col + 1}: {d.code} {d.message}{fix}")
            )
        if hints:
            for s in report.shapes:
                mark = {"confirmed": " (confirmed by a run)", "run": " (from a run)"}.get(s.validation, "")
                entries.append(
                    (
                        s.span.line,
                        s.span.col,
                        f"{report.path}:{s.span.line}:{s.span.col + 1}: {s.name}: {shape_text(s.value)}{mark}",
                    )
                )
        lines.extend(text for _, _, text in sorted(entries, key=lambda e: (e[0], e[1])))
    summary = ", ".join(f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}" for s in ("error", "warning"))
    lines.append(f"Checked {len(reports)} file{'s' if len(reports) != 1 else ''}: {summary}.")
    return "\n".join(lines) + "\n"
