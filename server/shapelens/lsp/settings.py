"""The ``shapelens.*`` settings the client sends (workspace/configuration)."""

from __future__ import annotations

from dataclasses import dataclass, field

SEVERITIES = ("error", "warning", "information", "hint", "off")


@dataclass
class Settings:
    enable: bool = True
    variable_hints: bool = True  # inlayHints.variables
    parameter_hints: bool = True  # inlayHints.parameters
    severity: dict = field(default_factory=dict)  # diagnostics.severity: code -> level
    syntax_errors: bool = False  # diagnostics.syntaxErrors: list a file's syntax error in Problems too
    meta_device: bool = False  # validation.metaDevice
    validation_timeout: float = 20.0  # validation.timeout, seconds per run
    validation_memory_mb: int = 4096  # validation.memoryLimitMB
    debounce_ms: int = 150

    @classmethod
    def from_client(cls, raw) -> "Settings":
        """Build from the client's (possibly partial, possibly malformed) settings object."""
        raw = raw if isinstance(raw, dict) else {}
        hints = raw.get("inlayHints") if isinstance(raw.get("inlayHints"), dict) else {}
        diagnostics = raw.get("diagnostics") if isinstance(raw.get("diagnostics"), dict) else {}
        validation = raw.get("validation") if isinstance(raw.get("validation"), dict) else {}
        severity = diagnostics.get("severity") if isinstance(diagnostics.get("severity"), dict) else {}
        return cls(
            enable=raw.get("enable", True) is not False,
            variable_hints=hints.get("variables", True) is not False,
            parameter_hints=hints.get("parameters", True) is not False,
            severity={k: v for k, v in severity.items() if v in SEVERITIES},
            syntax_errors=diagnostics.get("syntaxErrors", False) is True,
            meta_device=validation.get("metaDevice", False) is True,
            validation_timeout=_positive(validation.get("timeout"), 20.0),
            validation_memory_mb=int(_positive(validation.get("memoryLimitMB"), 4096)),
        )


def _positive(value, default: float) -> float:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0
    return float(value) if ok else default
