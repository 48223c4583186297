"""The ruleset language: grammar → parser → transformer → typed AST nodes, literals and quantities.

Nothing here knows about scoring; the engine consumes `nodes.Document`.
"""
