"""Chooses the recording mechanism (one module per mechanism, same interface) and says why."""
from .. import pybehavior


def choose(recorder, requested):
    """(tracer, reason). requested: 'auto', 'monitoring' or 'settrace'."""
    if requested == "settrace" or not pybehavior.HAS_MONITORING:  # PYVERSIONS: 3.11
        from .settrace import SettraceTracer
        why = "requested" if requested == "settrace" else "sys.monitoring needs Python 3.12+"
        return SettraceTracer(recorder), why
    from .monitoring import MonitoringTracer
    return MonitoringTracer(recorder), "requested" if requested == "monitoring" else "fastest available"
