"""journeylang: a small language for customer journeys: parse, check, simulate and format them."""

from .parser import parse
from .api import CheckResult, JourneyError, TraceRecord, check, format, simulate
from .diagnostics import Diagnostic, JourneySyntaxError, Severity
from .run import SimulationResult

__all__ = ["parse", "check", "simulate", "format", "CheckResult", "SimulationResult",
           "JourneyError", "TraceRecord", "Diagnostic", "Severity", "JourneySyntaxError"]
__version__ = "0.1.0"
