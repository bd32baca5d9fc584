"""journeylang: a small language for customer journeys — parse, check and simulate them."""

from .parser import parse
from .diagnostics import Diagnostic, JourneySyntaxError

__all__ = ["parse", "Diagnostic", "JourneySyntaxError"]
__version__ = "0.1.0"
