"""Select boxes: one template for the whole list, not one template per option.

Django renders every ``<option>`` through its own template include (about 0.1 ms each here);
a municipality list of 57 options cost the reception console and the booking form several
milliseconds a page. The project's ``django/forms/widgets/select.html`` writes the options in
one loop; what the browser gets must stay the same."""

from html.parser import HTMLParser

from django import forms
from django.test.signals import template_rendered


class _Options(HTMLParser):
    def __init__(self):
        super().__init__()
        self.options: list[dict] = []
        self.groups: list[str] = []
        self._open = None

    def handle_starttag(self, tag, attrs):
        if tag == "optgroup":
            self.groups.append(dict(attrs)["label"])
        if tag == "option":
            self._open = {**dict(attrs), "text": "", "group": self.groups[-1:]}
            self.options.append(self._open)

    def handle_endtag(self, tag):
        if tag == "option":
            self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data


CHOICES = [("", "---------"), ("GM0758", "Breda"), ("x&y", 'A & B <"quoted">')] + [
    (f"GM{n:04d}", f"Gemeente {n}") for n in range(60)
]


class _Form(forms.Form):
    place = forms.ChoiceField(choices=CHOICES)
    many = forms.MultipleChoiceField(choices=CHOICES[1:], required=False)
    grouped = forms.ChoiceField(
        choices=[("West", [("GM0758", "Breda")]), ("Oost", [("GM0794", "Helmond")])],
        required=False,
    )


def _parse(html: str) -> _Options:
    parser = _Options()
    parser.feed(html)
    return parser


def test_every_option_once_the_choice_selected_and_labels_escaped():
    form = _Form(initial={"place": "x&y", "many": ["GM0758", "GM0003"], "grouped": "GM0794"})
    place = _parse(str(form["place"]))
    assert [o["value"] for o in place.options] == [value for value, _label in CHOICES]
    assert [o["text"] for o in place.options] == [label for _value, label in CHOICES]
    assert [o["value"] for o in place.options if "selected" in o] == ["x&y"]
    assert '<"quoted">' not in str(form["place"])  # escaped
    many = _parse(str(form["many"]))
    assert [o["value"] for o in many.options if "selected" in o] == ["GM0758", "GM0003"]
    assert "multiple" in str(form["many"]) and 'name="many"' in str(form["many"])
    grouped = _parse(str(form["grouped"]))
    assert [(o["value"], o["group"]) for o in grouped.options] == [
        ("GM0758", ["West"]),
        ("GM0794", ["Oost"]),
    ]
    assert [o["value"] for o in grouped.options if "selected" in o] == ["GM0794"]


def test_a_bound_form_keeps_the_posted_choice_and_the_field_attributes():
    form = _Form(data={"place": "GM0042"})
    html = str(form["place"])
    assert [o["value"] for o in _parse(html).options if "selected" in o] == ["GM0042"]
    assert 'id="id_place"' in html and "required" in html


def _templates_rendered(field) -> list[str]:
    """The names of the templates rendered while ``field`` renders."""
    rendered = []

    def record(sender, template, context, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(record)
    try:
        str(field)
    finally:
        template_rendered.disconnect(record)
    return rendered


def test_options_are_not_rendered_one_template_each():
    rendered = _templates_rendered(_Form()["place"])
    assert "django/forms/widgets/select_option.html" not in rendered
    assert rendered.count("django/forms/widgets/attrs.html") <= 2  # the select's own (+ selected)


class _FlaggedSelect(forms.Select):
    """A select whose options carry attributes of their own (as a widget may add)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["attrs"]["data-code"] = f'{value}"<'
        option["attrs"]["disabled"] = value == "GM0758"
        return option


class _RichForm(forms.Form):
    place = forms.ChoiceField(choices=CHOICES, widget=_FlaggedSelect)
    months = forms.TypedChoiceField(choices=[(n, n) for n in (1, 12, 1200)], coerce=int)
    many = forms.MultipleChoiceField(choices=CHOICES[1:], required=False)
    grouped = forms.ChoiceField(
        choices=[
            ("", "---"),
            ("West & Co", [("GM0758", "Breda")]),
            ("Oost", [("GM0794", "Helmond")]),
        ],
        required=False,
    )


def test_the_options_are_what_djangos_own_templates_write():
    """Same options, attributes, labels and groups as Django's stock select templates."""
    from django.forms.renderers import DjangoTemplates

    initial = {"place": "x&y", "months": 12, "many": ["GM0758", "GM0003"], "grouped": "GM0794"}
    ours, stock = _RichForm(initial=initial), _RichForm(initial=initial)
    stock.default_renderer = DjangoTemplates()
    stock.renderer = DjangoTemplates()
    for name in ("place", "months", "many", "grouped"):
        mine, theirs = _parse(str(ours[name])), _parse(str(stock[name]))
        assert mine.options == theirs.options, name
        assert mine.groups == theirs.groups, name
    place = _parse(str(ours["place"])).options
    assert place[1]["data-code"] == 'GM0758"<' and "disabled" in place[1]
    assert "disabled" not in place[2]


def test_no_template_is_rendered_per_option():
    """The options are written in one pass: rendering a select renders the select template and
    its attrs include once each, however many options (with attributes) it has."""
    rendered = _templates_rendered(_RichForm()["place"])
    assert rendered.count("django/forms/widgets/attrs.html") == 1
    assert "django/forms/widgets/select_option.html" not in rendered
