"""When every rule test has run and passed, every rule's dtype statement must have met torch in
one of them (the oracle compares it wherever a test's reference runs): a statement no test could
check is not proven."""

from pathlib import Path

import pytest


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    import oracle

    from shapelens.rules import all_rules

    option = session.config.option
    if exitstatus != 0 or option.keyword or option.markexpr or getattr(option, "deselect", None):
        return
    ran = {Path(str(item.path)) for item in getattr(session, "items", [])}
    if not set(Path(__file__).parent.glob("test_*.py")) <= ran:
        return
    stated = {name for name, rule in all_rules().items() if rule.dtype is not None}
    unproven = sorted(stated - oracle.DTYPE_PROVEN)
    if unproven:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        reporter.write_line(f"dtype statements no rule test compared with torch: {', '.join(unproven)}", red=True)
        session.exitstatus = 1
