"""The jobs around `check`, each a function that returns a value the CLI prints.

``plan`` (expanding into new markets), ``interview`` (`init`), ``countries``
(the comparison matrix and profiles), ``diff`` (two saved reports),
``explain`` (a rule in plain words), ``rule_examples`` (`rules test`) and
``ruledocs`` (the generated rule catalogue).
"""
