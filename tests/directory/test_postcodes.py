"""Where postcodes are: the bundled districts, the loader for both layouts, and finding a postcode."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pathways.audit.models import AuditEntry
from pathways.core.errors import DomainError
from pathways.directory.models import PostcodeArea
from pathways.directory.selectors.postcodes import postcode_display, postcode_is_valid, postcode_locate
from pathways.directory.services.postcodes import postcodes_load

ONSPD_HEADER = "pcd,pcd2,pcds,dointr,doterm,oscty,ced,oslaua,osward,usertype,oseast1m,osnrth1m,osgrdind,lat,long\n"


def onspd_row(pcds, lat, long, doterm=""):
    return f'"{pcds.replace(" ", "")}","{pcds}","{pcds}","199801","{doterm}","E99999999","","E08000035","",0,1,1,1,{lat},{long}\n'


@pytest.fixture
def write(tmp_path):
    def write(text, name="postcodes.csv"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def test_the_bundled_districts_are_loaded_by_the_migrations(db):
    assert PostcodeArea.objects.count() >= 2800
    leeds = PostcodeArea.objects.get(code="LS6")
    assert (round(leeds.latitude, 2), round(leeds.longitude, 2)) == (53.82, -1.57)


def test_a_district_file_loads_and_updates_what_is_there(db, write):
    path = write("outcode,latitude,longitude,town,county\nLS6,53.8,-1.5,Headingley,Leeds\nZZ9,54.0,-2.0,,\n")
    result = postcodes_load(path=path)
    assert (result.layout, result.loaded, result.skipped) == ("postcode districts", 2, 0)
    assert PostcodeArea.objects.get(code="LS6").town == "Headingley"
    assert PostcodeArea.objects.get(code="LS6").latitude == 53.8
    assert AuditEntry.objects.filter(action="created", changes__has_key="postcodes").exists()


def test_an_onspd_file_loads_full_postcodes_and_skips_those_without_a_place_or_no_longer_used(db, write):
    path = write(
        ONSPD_HEADER + onspd_row("LS6 1AN", 53.8190, -1.5750) + onspd_row("LS6 9ZZ", 99.999999, 0.0)
        + onspd_row("LS6 2AA", 53.82, -1.58, doterm="201505")
    )
    result = postcodes_load(path=path)
    assert (result.layout, result.loaded, result.skipped) == ("ONS Postcode Directory", 1, 2)
    assert PostcodeArea.objects.filter(code__startswith="LS6").exclude(code="LS6").get().code == "LS61AN"


def test_a_file_with_a_bad_row_saves_nothing_and_names_each_row_and_column(db, write):
    before = PostcodeArea.objects.count()
    path = write(
        "outcode,latitude,longitude,town,county\nQQ1,53.8,-1.5,,\nL$6,53.8,-1.5,,\nQQ2,north,-1.5,,\nQQ3,40.0,-1.5,,\n"
        "QQ4,,-1.5,,\n"
    )
    with pytest.raises(DomainError) as error:
        postcodes_load(path=path)
    message = error.value.message
    assert "nothing was saved" in message
    assert "Row 3, outcode: 'L$6' is not a postcode district such as LS6." in message
    assert "Row 4, latitude: 'north' is not a number." in message
    assert "Row 5, latitude: 40.0 is outside the United Kingdom" in message
    assert "Row 6, latitude: the value is missing." in message
    assert PostcodeArea.objects.count() == before
    assert not PostcodeArea.objects.filter(code="QQ1").exists()


@pytest.mark.parametrize(("text", "expected"), [
    ("", "is empty"),
    ("postcode,x,y\nLS6,1,2\n", "must name its columns"),
    ("pcds,lat\nLS6 1AN,53.8\n", "has no long column"),
])
def test_a_file_of_the_wrong_shape_is_refused_with_what_is_wrong(db, write, text, expected):
    with pytest.raises(DomainError, match=expected):
        postcodes_load(path=write(text))


def test_the_command_loads_a_file_and_fails_with_the_problems(db, write, capsys):
    call_command("load_postcodes", str(write("outcode,latitude,longitude,town,county\nQQ1,53.8,-1.5,,\n")))
    assert "Loaded 1 postcode from the postcode districts." in capsys.readouterr().out
    with pytest.raises(CommandError, match="Row 2, longitude"):
        call_command("load_postcodes", str(write("outcode,latitude,longitude\nQQ2,53.8,east\n", "bad.csv")))
    with pytest.raises(CommandError, match="There is no file"):
        call_command("load_postcodes", "/no/such/file.csv")


@pytest.mark.parametrize("code", ["LS6 1AN", "ls61an", " Ls6  1an "])
def test_a_full_postcode_is_found_whatever_its_case_and_spacing(db, code):
    PostcodeArea.objects.create(code="LS61AN", latitude=53.819, longitude=-1.575)
    assert postcode_locate(code=code) == (53.819, -1.575)


def test_a_full_postcode_not_loaded_falls_back_to_its_district(db):
    district = PostcodeArea.objects.get(code="LS6")
    assert postcode_locate(code="LS6 4QQ") == (district.latitude, district.longitude)
    assert postcode_locate(code="ls6") == (district.latitude, district.longitude)


@pytest.mark.parametrize("code", ["", "Leeds", "LS", "ZZ99 9ZZ", "12345"])
def test_anything_else_is_not_found(db, code):
    assert postcode_locate(code=code) is None


def test_postcodes_are_shown_as_people_write_them():
    assert postcode_display("ls61an") == "LS6 1AN"
    assert postcode_display(" ls6 ") == "LS6"
    assert postcode_is_valid("LS6 1AN") and postcode_is_valid("ls6") and not postcode_is_valid("Leeds")
