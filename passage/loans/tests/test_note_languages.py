"""The promissory note in Dari: chosen from the person's languages, every sentence held as
data with the same placeholders, set right to left in Noto Naskh Arabic."""

from __future__ import annotations

import re
from typing import Any

import pytest

from passage.loans import actions, compute, note_texts, pdf
from passage.loans.models import Loan
from passage.loans.tests.conftest import book_us

pytestmark = pytest.mark.django_db


def test_the_note_language_from_the_persons_languages() -> None:
    assert compute.note_language(["prs", "ps"]) == "prs"
    assert compute.note_language(["fa-AF"]) == "prs"
    assert compute.note_language(["ky", "prs"]) == "ky"
    assert compute.note_language(["ps"]) == "ru"  # no Pashto text: Russian, read aloud
    assert compute.note_language([]) == "ru"


def test_every_dari_sentence_keeps_the_placeholders() -> None:
    for english, dari in note_texts.DARI.texts.items():
        assert sorted(re.findall(r"%\(\w+\)\w", english)) == sorted(
            re.findall(r"%\(\w+\)\w", dari)
        ), english
        assert re.search("[\u0600-\u06ff]", dari), english  # Persian script


def test_a_dari_speakers_note_is_in_dari_then_english(world: Any) -> None:
    booking = book_us(world, adults=1)
    person = booking.travellers.get().person
    assert person is not None
    person.languages = ["prs", "ps"]
    person.save()
    (note,) = actions.generate_notes(actor=world.actor, loan=Loan.objects.get(case=booking.case))
    assert note.language == "prs"
    block = pdf._note_block(note, note.language)  # every sentence found in the table
    assert (block["lang"], block["region"], block["rtl"]) == ("fa", "AF", True)
    assert block["title"] == note_texts.DARI.texts["Promissory note"]
    assert "\u2066675.00 USD\u2069" in block["paragraphs"][0]  # the amount kept left to right
    assert pdf._note_block(note, "en")["title"] == "Promissory note"
    document = pdf.note_pdf(note)
    assert document.startswith(b"%PDF") and b"NotoNaskhArabic" in document
