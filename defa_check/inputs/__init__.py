"""LOAD and VALIDATE: every file a user gives becomes a value, or located problems.

``source`` parses YAML and JSON with positions (duplicate keys and alias bombs
refused); ``schemas`` holds the shipped JSON Schemas and words their errors;
``manifest`` checks a manifest (schema, references, taxonomy keys); ``taxonomy``
and ``geo`` are the vocabularies; ``waiver_file``, ``saved_report`` and
``config`` read the other files. Nothing here knows about rules.
"""
