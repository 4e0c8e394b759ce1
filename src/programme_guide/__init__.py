"""Erasmus+ Programme Guide: structured data -> multilingual Markdown pages.

The package is engine-neutral: it loads and validates data/, resolves texts per language and renders
Markdown. The MkDocs adapters live in hooks/ at the top of the repository.
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
