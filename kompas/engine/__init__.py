"""The Kompas rules engine: pure Python and PyYAML, no web, database or PDF imports."""

from kompas.engine.answers import Answers
from kompas.engine.answers import IgnoredAnswer
from kompas.engine.answers import check_answers
from kompas.engine.answers import visible_questions
from kompas.engine.catalogue import load_catalogue
from kompas.engine.lint import ValidationReport
from kompas.engine.lint import validate
from kompas.engine.model import Catalogue
from kompas.engine.model import Criterion
from kompas.engine.model import Fact
from kompas.engine.model import FactDef
from kompas.engine.model import Option
from kompas.engine.model import Platform
from kompas.engine.model import Question
from kompas.engine.model import Questionnaire
from kompas.engine.model import Section
from kompas.engine.questionnaire import load_questionnaire
from kompas.engine.record import read_record
from kompas.engine.record import recompute
from kompas.engine.record import same_outcome
from kompas.engine.record import to_json
from kompas.engine.record import to_record
from kompas.engine.result import ActiveCriterion
from kompas.engine.result import Advice
from kompas.engine.result import Completeness
from kompas.engine.result import CriterionResult
from kompas.engine.result import PlatformResult
from kompas.engine.result import VendorQuestion
from kompas.engine.scoring import advise

__all__ = [
    "ActiveCriterion",
    "Advice",
    "Answers",
    "Catalogue",
    "Completeness",
    "Criterion",
    "CriterionResult",
    "Fact",
    "FactDef",
    "IgnoredAnswer",
    "Option",
    "Platform",
    "PlatformResult",
    "Question",
    "Questionnaire",
    "Section",
    "ValidationReport",
    "VendorQuestion",
    "advise",
    "check_answers",
    "load_catalogue",
    "load_questionnaire",
    "read_record",
    "recompute",
    "same_outcome",
    "to_json",
    "to_record",
    "validate",
    "visible_questions",
]
