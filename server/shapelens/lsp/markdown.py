"""Markdown for hovers and hint tooltips: text that comes from code or shapes is never markup.

``Linear: [*, in_features] -> [*, out_features]`` written as plain markdown renders as
``[, in_features]``: the two ``*`` open and close an emphasis. So shapes, expressions, requirements
and code go in code spans (``code``) or fenced blocks (``block``), and the rest of the words a view
takes from the analysis (names, notes) is escaped (``escape``).
"""

from __future__ import annotations

import re

from .shape_labels import shape_label

# CommonMark's backslash escapes that matter inside a line: emphasis, links, code, HTML, tables,
# strikethrough; and what starts a block at the start of a line (headings, quotes, lists).
_INLINE = re.compile(r"([\\`*_\[\]<>|~!])")
_BLOCK_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])", re.M)


def escape(text: str) -> str:
    """``text`` shown as it is, whatever markup characters it holds."""
    text = _INLINE.sub(r"\\\1", text)
    return _BLOCK_START.sub(
        lambda m: m.group(1) + "".join("\\" + c if not c.isdigit() else c for c in m.group(2)), text
    )


def code(text: str) -> str:
    """``text`` in an inline code span, with a fence longer than any run of backticks in it."""
    text = " ".join(text.splitlines())  # a code span is one line
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.endswith(" ")) else ""
    return f"{fence}{pad}{text}{pad}{fence}" if text else ""


def block(lines: list, language: str = "text") -> str:
    """``lines`` as a fenced code block, its fence longer than any run of backticks in them."""
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n" + "\n".join(lines) + f"\n{fence}"


def shape_fact(fact) -> str:
    """A name's shape, the run that confirmed or gave it, its requirements and its derivation."""
    parts = [f"**{escape(fact.name)}**: {code(shape_label(fact.value) or '?')}"]
    if fact.validation_note:
        parts.append(("✓ " if fact.validation == "confirmed" else "") + escape(fact.validation_note))
    if fact.requirement:
        parts.append(f"requires {code(fact.requirement)}")
    if fact.derivation:
        parts.append(block(list(fact.derivation)))
    return "\n\n".join(parts)


def prose(text: str) -> str:
    """A message of the analysis: its `quoted code` as code spans, the rest escaped."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an odd number of backticks: nothing is quoted for sure
        return escape(text)
    return "".join(code(part) if i % 2 else escape(part) for i, part in enumerate(parts))


def unknown_fact(fact) -> str:
    """Why a name has no shape: the cause, and the name it has its value from."""
    cause = fact.cause
    if fact.via:
        why = (
            f"computed from {code(fact.via)}, which has no shape either; the first loss is at line "
            f"{cause.span.line}: {prose(cause.message)}"
        )
    elif cause.span.line == fact.span.line:
        why = f"lost here: {prose(cause.message)}"
    else:
        why = f"{prose(cause.message)} (line {cause.span.line})"
    return f"**{escape(fact.name)}**: no shape known\n\n{why}"
