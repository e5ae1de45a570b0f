"""The code keeps the shape docs/architecture.md describes: each rule read from the
source by ``architecture.py`` (run it as a module to see the findings)."""

from maillon.core.tests import architecture


def test_no_module_level_import_cycle():
    assert architecture.import_cycles() == []


def test_core_imports_no_other_app():
    assert [str(f) for f in architecture.core_imports_of_other_apps()] == []


def test_no_function_over_80_lines_outside_tests_migrations_and_demo():
    assert [str(f) for f in architecture.long_functions()] == []


def test_scopes_are_disabled_only_where_the_function_name_says_so():
    assert [str(f) for f in architecture.scopes_disabled_outside_named_functions()] == []


def test_no_prefixed_module_left_in_the_packaged_apps():
    assert [str(f) for f in architecture.prefixed_modules()] == []


def test_the_checks_see_what_they_look_for(tmp_path, monkeypatch):
    """Each check finds a planted breach (so an empty list above means something)."""
    root = tmp_path / "maillon"
    (root / "core").mkdir(parents=True)
    (root / "volunteering").mkdir()
    for package in (root, root / "core", root / "volunteering"):
        (package / "__init__.py").write_text("")
    (root / "core" / "helpers.py").write_text("from maillon.volunteering import a\n")
    (root / "volunteering" / "a.py").write_text(
        "from maillon.volunteering import b\n"
        "from django_scopes import scopes_disabled\n\n\n"
        "def leak():\n    with scopes_disabled():\n        pass\n\n\n"
        "def public_page():\n    with scopes_disabled():\n        pass\n\n\n"
        "def long():\n" + "    x = 1\n" * 90
    )
    (root / "volunteering" / "b.py").write_text("from maillon.volunteering import a\n")
    (root / "volunteering" / "hours_views.py").write_text("")
    monkeypatch.setattr(architecture, "ROOT", root)
    monkeypatch.setattr(architecture, "_MODULES", {})

    assert architecture.import_cycles() == [["maillon.volunteering.a", "maillon.volunteering.b"]]
    assert [f.message for f in architecture.core_imports_of_other_apps()] == [
        "core imports maillon.volunteering",
        "core imports maillon.volunteering.a",
    ]
    assert [f.message for f in architecture.long_functions()] == ["long: 91 lines"]
    assert [f.message for f in architecture.scopes_disabled_outside_named_functions()] == [
        "scopes_disabled() in leak"
    ]
    assert [f.path for f in architecture.prefixed_modules()] == [
        "maillon/volunteering/hours_views.py"
    ]
