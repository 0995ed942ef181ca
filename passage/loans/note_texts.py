"""Promissory-note texts in languages the user interface does not speak.

The interface speaks English, Russian and Kyrgyz (the gettext catalogs); a note is also
printed for travellers who read none of them. Those texts are data here, keyed by the
English text of the note (the msgid), so a new sentence in ``pdf._note_block`` without
its translation fails ``tests/test_note_languages.py``.

Dari (``prs``; Persian script, right to left): written for this mission, to be reviewed
by a native speaker before use (docs/loans.md says so).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NoteLanguage:
    code: str  # the code stored on the note (ISO 639-3 where 639-1 has none)
    typst_lang: str  # typst's text language (ISO 639-1)
    typst_region: str
    rtl: bool
    aliases: tuple[str, ...]  # codes in a person's languages that mean this language
    texts: dict[str, str]


DARI = NoteLanguage(
    code="prs",
    typst_lang="fa",
    typst_region="AF",
    rtl=True,
    aliases=("prs", "fa-af", "fa_af"),
    texts={
        "Promissory note": "تعهدنامهٔ بازپرداخت قرضهٔ سفر",
        "Case": "دوسیه",
        "Borrower": "قرض‌گیرنده",
        "Date of birth": "تاریخ تولد",
        "Amount": "مبلغ",
        "Destination": "کشور مقصد",
        "(estimated)": "(تخمینی)",
        "I, %(name)s, promise to repay the travel loan of %(amount)s that paid for the "
        "travel of my family (case %(case)s) to %(country)s, to %(servicer)s or to "
        "whoever it names.": (
            "اینجانب %(name)s تعهد می‌کنم که قرضهٔ سفر به مبلغ %(amount)s را، که مصارف سفر "
            "خانوادهٔ من (دوسیهٔ %(case)s) به %(country)s با آن پرداخته شده است، به "
            "%(servicer)s یا به هر کسی که آن نهاد معرفی کند، بازپرداخت کنم."
        ),
        "the loan servicing organisation": "نهادی که بازپرداخت قرضه را پیگیری می‌کند",
        "The loan is interest-free.": "این قرضه بدون سود است.",
        "Interest is charged as the servicing organisation's terms say.": (
            "سود این قرضه مطابق شرایط نهادی که بازپرداخت را پیگیری می‌کند، گرفته می‌شود."
        ),
        "Repayment starts %(months)d months after arrival: from %(date)s for an "
        "arrival on %(arrival)s.": (
            "بازپرداخت %(months)d ماه پس از ورود آغاز می‌شود: برای ورود به تاریخ "
            "%(arrival)s، از تاریخ %(date)s."
        ),
        "Every adult member of the family signs a note for the family's loan. I have "
        "read this note, or it was read to me in a language I understand.": (
            "هر عضو بزرگسال خانواده برای قرضهٔ خانواده یک تعهدنامه امضا می‌کند. من این "
            "تعهدنامه را خوانده‌ام، یا به زبانی که می‌فهمم برایم خوانده شده است."
        ),
        "Signature": "امضا",
        "Date": "تاریخ",
        "Witness (name and signature)": "شاهد (نام و امضا)",
    },
)

LANGUAGES: dict[str, NoteLanguage] = {DARI.code: DARI}


def language_for(code: str) -> NoteLanguage | None:
    """The data-held note language a person's language code means, if any."""
    code = code.lower()
    return next((lang for lang in LANGUAGES.values() if code in lang.aliases), None)
