"""The ICAO 9303 checker against the specimen documents of Doc 9303 parts 4–7."""

from __future__ import annotations

from datetime import date

import pytest

from passage.documents.mrz import (
    check_digit,
    compare_with_record,
    country_code,
    is_known_code,
    parse_mrz,
)

TODAY = date(2026, 11, 30)
TD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
TD1 = (
    "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"
)
TD2 = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6"
MRV_A = "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL8988901C4XXX4009078F96121096ZE184226B<<<<<<"


def test_check_digits_follow_the_7_3_1_rule() -> None:
    assert check_digit("L898902C3") == 6
    assert check_digit("740812") == 2
    assert check_digit("120415") == 9
    assert check_digit("ZE184226B<<<<<") == 1
    assert check_digit("<<<<<") == 0
    assert check_digit("D23145890") == 7


@pytest.mark.parametrize(
    ("zone", "layout", "number"),
    [
        (TD3, "TD3", "L898902C3"),
        (TD1, "TD1", "D23145890"),
        (TD2, "TD2", "D23145890"),
        (MRV_A, "TD3", "L8988901C"),
    ],
)
def test_specimens_parse_without_problems(zone: str, layout: str, number: str) -> None:
    result = parse_mrz(zone, today=TODAY)
    assert result.valid, result.problems
    assert result.format == layout
    assert result.document_number == number
    assert result.issuing_state == "UTO"
    assert (result.surname, result.given_names) == ("ERIKSSON", "ANNA MARIA")
    assert result.sex == "F"


def test_td3_specimen_fields() -> None:
    result = parse_mrz(TD3, today=TODAY)
    assert result.document_code == "P"
    assert result.birth_date == date(1974, 8, 12)
    assert result.expiry_date == date(2012, 4, 15)
    assert result.nationality == "UTO"
    assert result.optional_data == "ZE184226B"


def test_mrv_a_visa_has_no_composite_and_dates_in_the_last_century() -> None:
    result = parse_mrz(MRV_A, today=TODAY)
    assert result.is_visa
    assert result.nationality == "XXX"
    assert result.birth_date == date(1940, 9, 7)
    assert result.expiry_date == date(1996, 12, 10)


@pytest.mark.parametrize(
    ("zone", "position", "field"),
    [
        (TD3, (1, 9), "document_number"),
        (TD3, (1, 19), "birth_date"),
        (TD3, (1, 27), "expiry_date"),
        (TD3, (1, 42), "personal_number"),
        (TD3, (1, 43), "composite"),
        (TD1, (0, 14), "document_number"),
        (TD1, (1, 6), "birth_date"),
        (TD1, (1, 14), "expiry_date"),
        (TD1, (1, 29), "composite"),
        (TD2, (1, 9), "document_number"),
        (TD2, (1, 19), "birth_date"),
        (TD2, (1, 27), "expiry_date"),
        (TD2, (1, 35), "composite"),
    ],
)
def test_a_corrupted_check_digit_is_reported_by_its_field(
    zone: str, position: tuple[int, int], field: str
) -> None:
    lines = zone.split("\n")
    line, col = position
    digit = lines[line][col]
    wrong = str((int(digit) + 1) % 10)
    lines[line] = lines[line][:col] + wrong + lines[line][col + 1 :]
    result = parse_mrz("\n".join(lines), today=TODAY)
    assert not result.valid
    # The composite digit covers the other check digits, so it fails with them.
    fields = [p.field for p in result.problems]
    assert fields[0] == field and set(fields) <= {field, "composite"}
    assert f"“{wrong}”" in result.problems[0].message


def test_a_changed_data_character_breaks_its_check_and_the_composite() -> None:
    result = parse_mrz(TD3.replace("L898902C3", "L898902C4"), today=TODAY)
    assert {p.field for p in result.problems} == {"document_number", "composite"}


@pytest.mark.parametrize(
    ("zone", "field"),
    [
        ("P<UTOERIKSSON", "format"),
        (TD3 + "\nEXTRA", "format"),
        (TD3.replace("ERIKSSON", "ERIKSSöN"), "line1"),
        (TD3.replace("P<UTO", "P<ZZZ"), "issuing_state"),
        (TD3.replace("C36UTO", "C36QQQ"), "nationality"),
        (TD3.replace("6UTO7408122F", "6UTO7408122Q"), "sex"),
        ("", "format"),
    ],
)
def test_malformed_zones_are_reported_by_field(zone: str, field: str) -> None:
    result = parse_mrz(zone, today=TODAY)
    assert field in {p.field for p in result.problems}


def test_an_impossible_date_is_reported() -> None:
    line2 = "L898902C36UTO7413322F1204159ZE184226B<<<<<10"  # month 13
    result = parse_mrz(TD3.split("\n")[0] + "\n" + line2, today=TODAY)
    assert "birth_date" in {p.field for p in result.problems}
    assert result.birth_date is None


def test_pasted_text_is_tolerated_in_case_and_spacing() -> None:
    result = parse_mrz("  " + TD3.lower().replace("\n", "\r\n\r\n") + "  ", today=TODAY)
    assert result.valid


def test_century_inference_birth_past_expiry_ahead() -> None:
    # Born 05-01-01 is 2005; expiry 30-01-01 is 2030; birth 30 is 1930.
    line2 = "AB1234567" + "0" + "UTO" + "300101" + "0" + "M" + "300101" + "0"
    line2 = _fix(line2)
    result = parse_mrz("P<UTOTEST<<A" + "<" * 32 + "\n" + line2, today=TODAY)
    assert result.valid, result.problems
    assert result.birth_date == date(1930, 1, 1)
    assert result.expiry_date == date(2030, 1, 1)


def _fix(prefix: str) -> str:
    """A valid TD3 line 2 from its first 28 characters, with correct check digits."""
    number, nat, birth, sex, expiry = (
        prefix[0:9],
        prefix[10:13],
        prefix[13:19],
        prefix[20],
        prefix[21:27],
    )
    personal = "<" * 14
    line = (
        f"{number}{check_digit(number)}{nat}{birth}{check_digit(birth)}{sex}"
        f"{expiry}{check_digit(expiry)}{personal}0"
    )
    return line + str(check_digit(line[0:10] + line[13:20] + line[21:43]))


def test_td1_long_document_number_continues_in_optional_data() -> None:
    number = "D23145890734"
    tail = number[9:] + str(check_digit(number))
    one = ("I<UTO" + number[:9] + "<" + tail).ljust(30, "<")
    two = "7408122F1204159UTO<<<<<<<<<<<"
    two += str(check_digit(one[5:30] + two[0:7] + two[8:15] + two[18:29]))
    result = parse_mrz(f"{one}\n{two}\nERIKSSON<<ANNA<MARIA<<<<<<<<<<", today=TODAY)
    assert result.valid, result.problems
    assert result.document_number == number


def test_country_codes_include_icao_specials() -> None:
    assert country_code("D<<") == "DE"
    assert country_code("KGZ") == "KG"
    assert country_code("XXA") == "XXA"
    assert country_code("XXB") == "XXB"
    assert country_code("XXC") == "XXC"
    assert country_code("GBN") == "GB"
    assert country_code("ZZZ") is None
    assert is_known_code("D") and is_known_code("KG") and is_known_code("AFG")
    assert not is_known_code("QQ")


def test_german_passport_with_d_code() -> None:
    line1 = "P<D<<MUSTERMANN<<ERIKA".ljust(44, "<")
    line2 = _fix("C01X00T478" + "D<<" + "640812" + "0" + "F" + "310801" + "0")
    result = parse_mrz(f"{line1}\n{line2}", today=TODAY)
    assert result.valid, result.problems
    assert result.issuing_state == "D" and result.nationality == "D"
    assert country_code(result.nationality) == "DE"


def test_mismatches_with_the_record_are_listed_by_field() -> None:
    result = parse_mrz(TD3, today=TODAY)
    same = compare_with_record(
        result,
        surname="Eriksson",
        given_names="Anna-Maria",
        birth_date=date(1974, 8, 12),
        birth_date_estimated=False,
        sex="F",
        nationality="",
    )
    assert same == []
    found = compare_with_record(
        result,
        surname="Erikson",
        given_names="Anna",
        birth_date=date(1974, 8, 13),
        birth_date_estimated=False,
        sex="M",
        nationality="",
    )
    assert [m.field for m in found] == ["surname", "given_names", "date_of_birth", "sex"]


def test_nationality_mismatch_uses_registry_codes() -> None:
    line1 = "P<D<<MUSTERMANN<<ERIKA".ljust(44, "<")
    line2 = _fix("C01X00T478" + "D<<" + "640812" + "0" + "F" + "310801" + "0")
    result = parse_mrz(f"{line1}\n{line2}", today=TODAY)
    kwargs = {
        "surname": "Mustermann",
        "given_names": "Erika",
        "birth_date": date(1964, 8, 12),
        "birth_date_estimated": False,
        "sex": "F",
    }
    assert compare_with_record(result, nationality="DE", **kwargs) == []  # type: ignore[arg-type]
    found = compare_with_record(result, nationality="AF", **kwargs)  # type: ignore[arg-type]
    assert [m.field for m in found] == ["nationality"]


def test_estimated_birth_date_is_reported_softly() -> None:
    result = parse_mrz(TD3, today=TODAY)
    found = compare_with_record(
        result,
        surname="Eriksson",
        given_names="Anna Maria",
        birth_date=date(1974, 1, 1),
        birth_date_estimated=True,
        sex="F",
        nationality="",
    )
    assert len(found) == 1 and "estimated" in found[0].message
