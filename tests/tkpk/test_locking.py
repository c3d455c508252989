"""An edit based on an old version shows the other person's values beside the typed ones."""

from decimal import Decimal

import pytest
from django import forms

from programs.models import Activity
from tests.factories import ActivityFactory, UserFactory
from tkpk.locking import EditConflict, conflict_show, version_check
from tkpk.models import Role


class ActivityForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Activity
        fields = ["name", "target", "budget_tag", "adds_up"]


@pytest.fixture
def stored(db):
    author = UserFactory(role=Role.AGENCY, name="Rina Operator")
    return ActivityFactory(name="Pelatihan menjahit", version=3, updated_by=author)


def test_a_matching_version_passes_and_another_raises_naming_who_saved(stored):
    version_check(stored, 3, by=stored.updated_by, at=stored.updated_at)
    with pytest.raises(EditConflict, match="Rina Operator") as refused:
        version_check(stored, 2, by=stored.updated_by, at=stored.updated_at)
    assert refused.value.current == stored


def test_the_form_shows_both_values_and_its_next_save_is_based_on_the_stored_version(stored):
    typed = {
        "name": "Pelatihan menjahit lanjutan",
        "target": "100",
        "budget_tag": "direct",
        "adds_up": "on",
        "version": "2",
    }
    form = ActivityForm(typed, instance=Activity.objects.get(pk=stored.pk))
    assert form.is_valid()
    rows = conflict_show(form, EditConflict(stored, by=stored.updated_by, at=stored.updated_at))
    assert "Rina Operator" in form.non_field_errors()[0]
    assert form["version"].value() == 3
    assert form["name"].value() == "Pelatihan menjahit lanjutan"  # nothing typed is lost
    by_label = {row.label: (row.theirs, row.yours) for row in rows}
    tag = ActivityForm.base_fields["budget_tag"]
    assert by_label == {
        form.fields["name"].label: ("Pelatihan menjahit", "Pelatihan menjahit lanjutan"),
        tag.label: (str(dict(tag.choices)["none"]), str(dict(tag.choices)["direct"])),
    }
    assert Decimal(form.cleaned_data["target"]) == stored.target  # equal values are not listed
