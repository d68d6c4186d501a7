"""The locale's glossary (`locales/LANG/glossary.tsv`): required translations and do-not-translate terms."""

from __future__ import annotations

from pipeline.checks.base import ERROR, WARNING, Context, unit_check
from pipeline.glossary import terms_in


@unit_check("glossary", WARNING)
def glossary(ctx: Context):
    """An English glossary term must be translated with the glossary's translation."""
    for term in terms_in(list(ctx.glossary), ctx.msgid):
        if not term.keep and not term.in_translation(ctx.translation):
            note = f" ({term.note})" if term.note else ""
            yield (f"the glossary translates {term.english!r} as {term.target!r}{note}, which is not in the "
                   f"translation; use it, or ask for the glossary to change if the context needs another word")


@unit_check("do-not-translate", ERROR)
def do_not_translate(ctx: Context):
    """A do-not-translate term (drug names, units, trademarks) must appear unchanged."""
    for term in terms_in(list(ctx.glossary), ctx.msgid):
        if term.keep and not term.in_translation(ctx.translation):
            yield f"{term.english!r} must appear unchanged (glossary: do not translate); copy it as written in the English"
