"""RULE DATA: rule packs and country profiles found, validated against their schemas and compiled.

``loader`` builds the :class:`~defa_check.packs.loader.Catalog`; ``conditions``
compiles the condition language into three-valued predicates; ``facts`` derives
what conditions can ask about from a manifest. Packs are data: nothing in them
is ever executed.
"""
