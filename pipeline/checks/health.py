"""Health-literacy checks: plain-language sentences a patient can follow.

Warnings, not errors: a long sentence may be the clearest way to say something. Formulas and
targets are `pipeline.readability`'s (`[tool.medloc.readability]`), so a unit is judged here
by the same numbers the review packet shows.
"""

from __future__ import annotations

from pipeline import readability as formulas
from pipeline.checks.base import WARNING, Context, unit_check

MIN_GRADE_WORDS = 10  # a score computed on fewer words says little


@unit_check("sentence-length", WARNING)
def sentence_length(ctx: Context):
    """Sentences over the configured length are hard to follow; split them."""
    targets = ctx.param("readability")
    for sentence in formulas.sentences([ctx.msgstr]):
        if ctx.spaced:
            size, limit, unit = len(formulas.words(sentence)), targets["long_sentence_words"], "words"
        else:
            size, limit, unit = sum(c.isalnum() for c in sentence), ctx.param("max_sentence_chars"), "characters"
        if size > limit:
            yield (f"a sentence of {size} {unit} (plain-language limit: {limit}); "
                   f"split it into shorter sentences, one idea each")


@unit_check("readability", WARNING)
def readability(ctx: Context):
    """A unit scoring worse than the configured readability target is hard for many patients."""
    if not formulas.formula_family(ctx.locale):
        return  # no formula for this language: `measure` would give no scores
    result = formulas.measure([ctx.msgstr], ctx.locale, ctx.param("readability"))
    missed = [score.describe() for score in result.scores if not score.meets]
    if result.words >= MIN_GRADE_WORDS and missed:
        yield f"hard to read: {'; '.join(missed)}; use shorter, everyday words and shorter sentences"
