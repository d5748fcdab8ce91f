"""EVALUATE: manifest x packs x as-of date -> findings.

``engine`` is the pure function from a validated manifest to a report;
``document`` checks one loaded manifest (validate, then evaluate); ``batch``
checks many, with waivers and a baseline (``waivers``) applied after
evaluation so the engine stays pure.
"""
