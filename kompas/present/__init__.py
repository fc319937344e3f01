"""What the advice says: one presentation model that the web page, the CLI and the PDF format.

The decision kernel returns numbers, states and ids; this package decides what they mean
to a reader: the headline and the shortlist, what a tie is and how it is worded, which
exclusions, warnings and combinations are shown, and every sentence (Dutch through
gettext, English from the .po). The skins only lay the result out, so they cannot
disagree with each other.

Definitions used everywhere:
- a *tie*: platforms that share a rank in Advice.ranking;
- A *surely beats* B: A.lower > B.upper (the score ranges do not overlap; the kernel's rule);
- the *contenders*: the ranked platforms that no other ranked platform surely beats (an
  internal notion; a reader sees it as "kan nog de beste zijn", never as "kortlijst");
- the *shortlist*: the one shortlist a reader sees, the probable shortlist in ranking
  order (a lone one with the next two to compare with; see shortlist.py);
- the *value of information* of an unknown fact of a platform on the shortlist: how many
  points its resolution can move that platform's score (its share of the platform's
  score range, in proportion to the criterion's weight), and whether that can change the
  order between the platform and the best other one on the shortlist.

Modules: model (the dataclasses), words (small text helpers), headline (headline, summary,
next step, what the advice rests on), notices, platforms (per platform, exclusions,
comparison verdicts), vendor (questions for the vendors), robustness, tiebreak,
combinations, record (the story's part of the decision record), shortlist (the reader's
shortlist) and story (`present`).
"""

from kompas.present.model import Story
from kompas.present.record import summary_record
from kompas.present.story import present

__all__ = ["Story", "present", "summary_record"]
