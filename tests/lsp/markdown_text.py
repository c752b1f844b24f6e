"""What a markdown renderer leaves of hover text, read conservatively: code spans and fenced
blocks keep their text, backslash escapes give their character, and every other ``*``, ``_``
(at a word's edge), backtick or ``[``/``]`` is taken for markup and dropped."""

import re

_FENCE = re.compile(r"^(`{3,})[^\n]*\n(.*?)\n\1$", re.S | re.M)


def rendered(markdown: str) -> str:
    out = []
    for i, part in enumerate(_FENCE.split(markdown)):
        kind = i % 3
        if kind == 1:
            continue  # the fence itself
        out.append(part if kind == 2 else _inline(part))
    return "".join(out)


def _inline(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and not text[i + 1].isalnum() and not text[i + 1].isspace():
            out.append(text[i + 1])
            i += 2
        elif ch == "`":
            run = len(text[i:]) - len(text[i:].lstrip("`"))
            end = text.find("`" * run, i + run)
            if end < 0:
                i += run  # an unclosed fence is markup we drop
                continue
            content = text[i + run : end]
            if content.startswith(" ") and content.endswith(" ") and content.strip():
                content = content[1:-1]
            out.append(content)
            i = end + run
        elif ch in "*[]" or (
            ch == "_" and (i == 0 or not text[i - 1].isalnum() or i + 1 == len(text) or not text[i + 1].isalnum())
        ):
            i += 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)
