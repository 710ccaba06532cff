"""A static evidence site from the validated graph (``ipskg site``): a page per study, case and
case group, quote, theme, CFIR construct with evidence and competency question, the conceptual
model and the rating matrices drawn from the graph, each page with its Turtle and JSON-LD."""

from __future__ import annotations

from .assemble import SEED_STUDY, Site, questions, site_files

__all__ = ["SEED_STUDY", "Site", "questions", "site_files"]
