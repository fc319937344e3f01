"""Kompas: transparent advice for municipalities choosing a digital neighbourhood platform.

>>> import kompas
>>> q, c = kompas.load()
>>> advice = kompas.advise(q, c, {"doelen": ["burenhulp"]})
>>> explanation = kompas.explain(q, c, {"doelen": ["burenhulp"]})  # advice, analysis, story
"""

from __future__ import annotations

from pathlib import Path

from kompas.engine import *  # noqa: F403 - the engine's public API is Kompas's public API
from kompas.engine import __all__ as _engine_all
from kompas.engine.model import Catalogue
from kompas.engine.model import Questionnaire
from kompas.errors import AnswerError
from kompas.errors import DataError
from kompas.errors import KompasError
from kompas.errors import RecordError
from kompas.pipeline import Explanation
from kompas.pipeline import explain
from kompas.version import __version__


def load(
    questions: str | Path | None = None, platforms: str | Path | None = None
) -> tuple[Questionnaire, Catalogue]:
    """Load both data files (defaults: the shipped ones), checked against each other."""
    from kompas.engine import load_catalogue
    from kompas.engine import load_questionnaire

    catalogue = load_catalogue(platforms)
    return load_questionnaire(questions, catalogue), catalogue


__all__ = [
    *_engine_all,
    "AnswerError",
    "DataError",
    "Explanation",
    "KompasError",
    "RecordError",
    "__version__",
    "explain",
    "load",
]
