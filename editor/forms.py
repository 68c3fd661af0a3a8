from django import forms

from .examples import EXAMPLES


class NewDagForm(forms.Form):
    dag_id = forms.CharField(
        label="Name",
        max_length=250,
        required=False,
        help_text="Letters, digits, _ - and . (left blank: the example's name).",
    )
    example = forms.ChoiceField(
        label="Start from",
        choices=[(key, example.title) for key, example in EXAMPLES.items()],
        initial="blank",
    )


class RenameDagForm(forms.Form):
    dag_id = forms.CharField(label="New name", max_length=250)
