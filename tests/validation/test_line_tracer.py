"""The line tracer records what a statement bound once the whole statement has run."""

import ast
import textwrap

import torch

from shapelens.validation.worker import LineTracer, binding_sites, statement_ends, tracing

SOURCE = textwrap.dedent("""\
    import torch


    def attend(q):
        out = q * 2
        out = out.transpose(
            1, 2
        ).contiguous()
        for row in (
            out
        ):
            last = row
        return out
""")


def test_a_statement_over_several_lines_records_its_result_not_the_old_value(tmp_path):
    path = tmp_path / "m.py"
    path.write_text(SOURCE)
    tree = ast.parse(SOURCE)
    seen: dict = {}
    namespace: dict = {}
    code = compile(SOURCE, str(path), "exec")
    exec(code, namespace)
    with tracing(LineTracer(str(path), binding_sites(tree), seen, ends=statement_ends(tree))):
        namespace["attend"](torch.zeros(2, 3, 4))
    assert seen[(5, "out")] == [[2, 3, 4]]
    assert seen[(6, "out")] == [[2, 4, 3]]  # never the [2, 3, 4] it held while the statement ran
    assert seen[(9, "row")] == [[4, 3]]
