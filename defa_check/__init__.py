"""defa-check: check cross-border data flows against ASEAN member states' laws.

The public API is the pipeline (:mod:`defa_check.pipeline`), the engine
(:mod:`defa_check.engine`) and the report model (:mod:`defa_check.model`).
"""

__version__ = "0.4.0"
