"""journeylang: a small language for customer journeys: parse, check, simulate and format them."""

from .parser import parse
from .api import CheckResult, JourneyError, TraceRecord, check, format, simulate
from .diagnostics import Diagnostic, JourneySyntaxError, Severity
from .run import SimulationResult
from .testing import TestRun, run_tests

__all__ = ["parse", "check", "simulate", "format", "CheckResult", "SimulationResult",
           "JourneyError", "TraceRecord", "Diagnostic", "Severity", "JourneySyntaxError", "run_tests",
           "TestRun"]
__version__ = "0.1.0"
