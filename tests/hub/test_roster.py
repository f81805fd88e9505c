"""The roster `make hub` reads: a class's mistakes are all named at once, before any account is made."""
import pytest

from .hubclass import deploy


def write(tmp_path, text):
    path = tmp_path / "roster.csv"
    path.write_text(text)
    return path


def test_a_good_roster(tmp_path):
    people = deploy.read_roster(write(tmp_path, "username,role,name\nteacher,Instructor,Tess T\nada-1,student,\n"))
    assert people == [{"username": "teacher", "role": "instructor", "name": "Tess T"},
                      {"username": "ada-1", "role": "student", "name": ""}]


def test_every_problem_is_named(tmp_path):
    roster = write(tmp_path, "username,role,name\nAda,student,\nbob,tutor,\nbob,student,\n1x,student,\n")
    with pytest.raises(deploy.SetupError) as raised:
        deploy.read_roster(roster)
    message = str(raised.value)
    for expected in ("line 2: username 'Ada'", "line 3: role 'tutor'", "line 4: bob is listed twice",
                     "line 5: username '1x'", "names no instructor"):
        assert expected in message, message


def test_a_missing_roster_says_what_to_write(tmp_path):
    with pytest.raises(deploy.SetupError, match="username,role,name"):
        deploy.read_roster(tmp_path / "nope.csv")


def test_setup_needs_root_and_says_so(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(deploy.os, "geteuid", lambda: 1000)
    roster = write(tmp_path, "username,role,name\nteacher,instructor,\n")
    assert deploy.main(["setup", "--roster", str(roster), "--root", str(tmp_path / "class")]) == 2
    assert "as root" in capsys.readouterr().err
    assert not (tmp_path / "class").exists()
