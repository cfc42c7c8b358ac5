"""List parsers: every format, detection by content, bad files reported whole, real files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA
from urif.compliance.sources import detect, example_policy_list, read_paths
from urif.compliance.sources.eu import parse_eu
from urif.compliance.sources.ftm import parse_ftm
from urif.compliance.sources.ofac import parse_ofac
from urif.compliance.sources.un import parse_un
from urif.core.errors import InvalidInput

SDN = (
    b'306,"BANCO NACIONAL DE CUBA",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"a.k.a. \'BNC\'."\r\n'
    b'9001,"PETROV, Ivan",individual,"RUSSIA-EO14024",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
    b'"DOB 10 Dec 1968; nationality Russia; Tax ID No. 773407989940 (Russia); '
    b"f.k.a. 'PETROFF, Iwan'; Gender Male.\"\r\n"
    b'9002,"CAF\xc9 ESTRELLA S.A.",-0- ,"SDNT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a'
)
HEADER = b"ent_num,SDN_name,SDN_type,Program,Title,Call_Sign,Vess_type,Tonnage,GRT,Vess_flag,Vess_owner,Remarks\r\n"
ALT = b'306,220,"aka","NATIONAL BANK OF CUBA",-0- \r\n'
ADD = b'306,199,"Zweierstrasse 35","Zurich CH-8022","Switzerland",-0- \r\n'


def test_ofac_with_and_without_header_give_the_same_entities() -> None:
    plain = parse_ofac([("sdn.csv", SDN)])
    headed = parse_ofac([("sdn.csv", HEADER + SDN)])
    assert [r.fingerprint() for r in plain.records] == [r.fingerprint() for r in headed.records]
    assert len(plain.records) == 3


def test_ofac_remarks_aliases_identifiers_and_latin1() -> None:
    parsed = parse_ofac([("sdn.csv", SDN), ("alt.csv", ALT), ("add.csv", ADD)])
    by_id = {r.source_id: r for r in parsed.records}
    bank = by_id["306"].entity
    assert set(bank.get("alias")) == {"BNC", "NATIONAL BANK OF CUBA"}
    assert bank.get("country") == ["ch"]
    petrov = by_id["9001"]
    assert petrov.schema == "Person"
    assert petrov.entity.get("birthDate") == ["1968-12-10"]
    assert petrov.entity.get("innCode") == ["773407989940"]
    assert petrov.entity.get("previousName") == ["PETROFF, Iwan"]
    assert petrov.programmes == ("RUSSIA-EO14024",)
    assert by_id["9002"].caption == "CAFÉ ESTRELLA S.A."
    assert by_id["306"].entity_id == "ofac-sdn-306"
    assert parsed.list_id == "ofac-sdn"
    assert len(parsed.files) == 3
    assert len(parsed.checksum) == 64


def test_malformed_ofac_file_is_reported_with_line_and_nothing_loaded() -> None:
    bad = SDN.replace(b"9001,", b"x9001,").replace(b'"SDNT",-0- ,', b'"SDNT",')
    with pytest.raises(InvalidInput) as error:
        parse_ofac([("sdn.csv", bad)])
    wheres = [p.where for p in error.value.problems]
    assert "line 2 of sdn.csv" in wheres
    assert "line 3 of sdn.csv" in wheres
    assert "previous snapshot stays in force" in error.value.message


UN = b"""<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:09.554Z">
<INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>ERIC</FIRST_NAME><SECOND_NAME>BADEGE</SECOND_NAME>
<UN_LIST_TYPE>DRC</UN_LIST_TYPE><REFERENCE_NUMBER>CDi.001</REFERENCE_NUMBER><LISTED_ON>2012-12-31</LISTED_ON>
<NAME_ORIGINAL_SCRIPT>\xd0\x95\xd1\x80\xd0\xb8\xd0\xba</NAME_ORIGINAL_SCRIPT>
<INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Commandant Eric</ALIAS_NAME></INDIVIDUAL_ALIAS>
<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><YEAR>1971</YEAR></INDIVIDUAL_DATE_OF_BIRTH>
</INDIVIDUAL></INDIVIDUALS><ENTITIES/></CONSOLIDATED_LIST>"""


def test_un_xml_dates_the_snapshot_and_keeps_aliases() -> None:
    parsed = parse_un("un.xml", UN)
    assert parsed.file_date == dt.date(2026, 2, 27)
    record = parsed.records[0]
    assert record.source_id == "CDi.001"
    assert record.listing_date == dt.date(2012, 12, 31)
    assert record.entity.get("alias") == ["Ерик"]
    assert record.entity.get("weakAlias") == ["Commandant Eric"]


def test_broken_xml_is_reported_with_its_line() -> None:
    with pytest.raises(InvalidInput) as error:
        parse_un("un.xml", UN.replace(b"</INDIVIDUAL>", b"</INDIVIDUA>"))
    assert error.value.problems[0].where.startswith("line ")


EU = (
    "celex,recordId,programKey,annex,measure,startDate,schema,name,alias,registrationNumber,innCode\n"
    "32014R0833,1,EU-RUS,IV,Export control,12.9.2014,LegalEntity,JSC Sirius,"
    '"Открытое Акционерное Общество «Концерн «Сириус» (ОАО «Концерн «Сириус»); JSC Concern Sirius",'
    "7704730655 (Tax ID/INN),\n"
).encode()


def test_eu_annex_iv_keeps_cyrillic_aliases_inn_and_tag() -> None:
    parsed = parse_eu("whatever.txt", EU)
    assert parsed.list_id == "eu-833"
    record = parsed.records[0]
    assert "ОАО «Концерн «Сириус»" in record.entity.get("alias")
    assert record.entity.get("innCode") == ["7704730655"]
    assert any("military-industrial" in p for p in record.programmes)
    assert record.listing_date == dt.date(2014, 9, 12)


def test_eu_row_without_name_is_reported() -> None:
    bad = EU + b"32014R0833,2,EU-RUS,IV,Export control,12.9.2014,LegalEntity,,,,\n"
    with pytest.raises(InvalidInput) as error:
        parse_eu("eu.csv", bad)
    assert error.value.problems[0].where == "line 3 of eu.csv"


def test_ftm_lines_keep_targets_and_relations() -> None:
    data = (
        b'{"id": "p1", "schema": "Person", "properties": {"name": ["Ivan"]}, "datasets": ["ds"]}\n'
        b'{"id": "o1", "schema": "Ownership", "properties": {"owner": ["p1"], "asset": ["c1"]},'
        b' "datasets": ["ds"], "target": false}\n'
    )
    parsed = parse_ftm("x.jsonl", data)
    assert parsed.list_id == "ds"
    assert [r.entity_id for r in parsed.records] == ["p1"]
    assert len(parsed.relations) == 1
    with pytest.raises(InvalidInput, match="FtM"):
        parse_ftm("x.jsonl", data + b"{not json\n")


def test_example_policy_list_ships_states_with_sources() -> None:
    parsed = example_policy_list()
    assert parsed.list_id == "policy"
    countries = {c for r in parsed.records for c in r.entity.get("country")}
    assert {"ru", "by"} <= countries
    assert all(r.entity.get("sourceUrl") or r.entity.get("publisher") for r in parsed.records)


def test_detection_is_by_content_not_name(tmp_path: Path) -> None:
    (tmp_path / "list.xml").write_bytes(SDN)  # an OFAC file misnamed .xml
    (tmp_path / "junk.csv").write_bytes(b"hello,world\n")
    assert detect(SDN) == "ofac-legacy-csv"
    parsed = read_paths([tmp_path / "list.xml"])
    assert parsed[0].list_id == "ofac-sdn"
    with pytest.raises(InvalidInput, match="list files"):
        read_paths([tmp_path / "list.xml", tmp_path / "junk.csv"])


# --- the real files (parsed once per module) ---------------------------------------------


@pytest.fixture(scope="module")
def sanctions() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data not found at {SHARED_DATA}")
    return SHARED_DATA / "sanctions"


def test_real_un_and_eu_files_parse_whole(sanctions: Path) -> None:
    un, eu269, eu833 = read_paths(
        [
            sanctions / "un" / "un-consolidated-2026-02-27.xml",
            sanctions / "eu" / "eu-reg-269-2014-annex-i.csv",
            sanctions / "eu" / "eu-reg-833-2014-annexes.csv",
        ]
    )
    assert (un.list_id, len(un.records), un.file_date) == ("un-sc", 1003, dt.date(2026, 2, 27))
    assert (eu269.list_id, len(eu269.records)) == ("eu-269", 2802)
    annex_iv = [r for r in eu833.records if r.source_id.startswith("IV/")]
    assert len(annex_iv) == 921


def test_shipped_extracts_parse_and_screen_the_demo_parties() -> None:
    import datetime as dt
    from importlib import resources

    from urif.compliance.gate import MatcherScreener
    from urif.compliance.state import BLOCKED, CounterpartyRecord

    data = resources.files("urif.compliance").joinpath("data")
    paths = [
        Path(str(data.joinpath("ofac-sdn-2024-06-extract"))),
        Path(str(data.joinpath("eu-reg-833-2014-annexes-extract.csv"))),
        Path(str(data.joinpath("eu-reg-269-2014-annex-i-extract.csv"))),
        Path(str(data.joinpath("policy-states-example.csv"))),
    ]
    parsed = read_paths(paths)
    assert sorted(p.list_id for p in parsed) == ["eu-269", "eu-833", "ofac-sdn", "policy"]
    screener = MatcherScreener.build(r for p in parsed for r in p.records)
    day = dt.date(2026, 1, 12)

    def record(name: str, kind: str, country: str) -> CounterpartyRecord:
        return CounterpartyRecord("cp", name, kind, country, (), (), day)

    sirius = screener.screen(record("JSC Sirius", "company", "RU"))
    assert any(h.band == BLOCKED and h.list_id == "eu-833" for h in sirius)
    assert screener.screen(record("TechMet Limited", "company", "GB")) == ()
    russia = screener.screen(record("Russian Federation", "state", "RU"))
    assert any(h.list_id == "policy" and h.band == BLOCKED for h in russia)
