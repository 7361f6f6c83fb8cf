from django import template

from contacts.forms import RhythmDefaultsForm

register = template.Library()


@register.inclusion_tag("contacts/snippets/rhythm_defaults_form.html", takes_context=True)
def rhythm_defaults_form(context):
    """The per-circle default rhythms form, for the account page: `{% rhythm_defaults_form %}`."""
    request = context["request"]
    return {"rhythm_form": RhythmDefaultsForm(user=request.user), "request": request}
