"""Footer labels of localized pages, one small table per language.

Dates and language names come from Babel (CLDR); only these few phrases need a translator.
Spanish follows MedlinePlus en español ("Versión en inglés revisada por: ..."). A language
without a table falls back to English labels, which `labels_for` makes visible by returning
the language it used.
"""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "english_review_date": "English version reviewed on",
        "english_reviewed_by": "English version reviewed by",
        "also_reviewed_by": "Also reviewed by",
        "translation_approved": "Translation approved on",
        "translation_reviewed_by": "Translation reviewed by",
        "source": "Source",
        "other_languages": "Other languages",
    },
    "es": {
        "english_review_date": "Fecha de revisión de la versión en inglés",
        "english_reviewed_by": "Versión en inglés revisada por",
        "also_reviewed_by": "También revisado por",
        "translation_approved": "Fecha de aprobación de la traducción",
        "translation_reviewed_by": "Traducción revisada por",
        "source": "Fuente",
        "other_languages": "Otros idiomas",
    },
    "zh": {
        "english_review_date": "英文版审核日期",
        "english_reviewed_by": "英文版审核人",
        "also_reviewed_by": "其他审核人",
        "translation_approved": "译文批准日期",
        "translation_reviewed_by": "译文审核人",
        "source": "来源",
        "other_languages": "其他语言",
    },
    "vi": {
        "english_review_date": "Ngày duyệt bản tiếng Anh",
        "english_reviewed_by": "Bản tiếng Anh được duyệt bởi",
        "also_reviewed_by": "Cũng được duyệt bởi",
        "translation_approved": "Ngày phê duyệt bản dịch",
        "translation_reviewed_by": "Bản dịch được duyệt bởi",
        "source": "Nguồn",
        "other_languages": "Ngôn ngữ khác",
    },
    "ar": {
        "english_review_date": "تاريخ مراجعة النسخة الإنجليزية",
        "english_reviewed_by": "راجع النسخة الإنجليزية",
        "also_reviewed_by": "راجعها أيضًا",
        "translation_approved": "تاريخ اعتماد الترجمة",
        "translation_reviewed_by": "راجع الترجمة",
        "source": "المصدر",
        "other_languages": "لغات أخرى",
    },
}


def labels_for(locale: str) -> tuple[str, dict[str, str]]:
    """(language used, labels) for a gettext locale code such as `es_MX` or `zh_Hans`."""
    code = locale.replace("-", "_")
    for key in (code, code.split("_")[0]):
        if key in LABELS:
            return key, LABELS[key]
    return "en", LABELS["en"]
