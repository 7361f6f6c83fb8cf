from django import template

register = template.Library()


@register.filter
def days_ago(days):
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago"
